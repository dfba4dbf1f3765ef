"""Forms of ① document screening and ② interviews (staff only).

Only the fields declared here are read from a POST: `status`, `application`, `reviewer` or
anything else a request adds is ignored.
"""

import unicodedata
from datetime import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from handson.enums import Role
from handson.models import User
from screening.enums import (
    BONUS_CRITERIA,
    CRITERIA_LABELS,
    SCORED_CRITERIA,
    InterviewMode,
    NoticeChannel,
    Proposal,
)

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]
ATTENDEES_INITIAL = _("代表者：\n事業責任者：")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def score_field_name(criterion: str) -> str:
    return "score_" + criterion.replace("-", "_")


class AssessmentForm(forms.Form):
    """Scores SEL-1…6 and SEL-10 (1–5), bonuses SEL-7…9, notes and a proposal."""

    bonuses = forms.MultipleChoiceField(
        label=_("加点項目（尚可）"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, CRITERIA_LABELS[c]) for c in BONUS_CRITERIA],
        help_text=_("WEBフォームの回答から該当しそうな項目にあらかじめ印を付けています。内容を確認して修正してください。"),
    )
    notes = forms.CharField(
        label=_("所見（社内用・申込者には開示されません）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    proposal = forms.ChoiceField(label=_("提案"), choices=Proposal.choices,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scored = {}
        for criterion in SCORED_CRITERIA:
            scored[score_field_name(criterion)] = forms.TypedChoiceField(
                label=CRITERIA_LABELS[criterion], choices=SCORE_CHOICES, coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("1〜5のいずれかを選んでください。")},
            )
        self.fields = {**scored, **self.fields}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page template writes the token
        self.helper.layout = Layout(
            Fieldset(_("評点（1：低い〜5：高い）"),
                     *[InlineRadios(score_field_name(c)) for c in SCORED_CRITERIA]),
            Field("bonuses"), Field("notes"), InlineRadios("proposal"),
        )

    @classmethod
    def initial_from(cls, assessment, prefill_bonuses) -> dict:
        if assessment is None:
            return {"bonuses": list(prefill_bonuses)}
        initial = {score_field_name(k): v for k, v in assessment.scores.items()}
        return {**initial, "bonuses": assessment.bonuses, "notes": assessment.notes,
                "proposal": assessment.proposal}

    def clean_notes(self) -> str:
        return _nfc(self.cleaned_data["notes"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c: data[score_field_name(c)] for c in SCORED_CRITERIA},
            "bonuses": data["bonuses"], "notes": data["notes"], "proposal": data["proposal"],
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("決定"), choices=Proposal.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("決定の理由（社内用・申込者には開示されません）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, prefix_id: str = "decision", **kwargs):
        super().__init__(*args, prefix=prefix_id, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page template writes the token
        self.helper.layout = Layout(InlineRadios("outcome"), Field("note"))

    def clean_note(self) -> str:
        return _nfc(self.cleaned_data["note"])


def interview_staff_users():
    return (User.objects.filter(groups__name=Role.STAFF.value, is_active=True)
            .distinct().order_by("display_name", "username"))


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class InterviewForm(forms.Form):
    """Schedule or reschedule ②. A phone notice needs a contact record instead of a mail."""

    scheduled_at = forms.DateTimeField(
        label=_("日時"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("日本時間で入力してください。"),
    )
    duration_minutes = forms.IntegerField(label=_("所要時間（分）"), min_value=15, max_value=240,
                                          initial=60)
    mode = forms.ChoiceField(label=_("形式"), choices=InterviewMode.choices,
                             widget=forms.RadioSelect, initial=InterviewMode.ONLINE)
    place = forms.CharField(label=_("場所（対面の場合）"), required=False, max_length=300)
    meeting_url = forms.URLField(label=_("オンライン会議のURL（オンラインの場合）"),
                                 required=False, assume_scheme="https")
    company_attendees = forms.CharField(
        label=_("企業側の出席者"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        initial=ATTENDEES_INITIAL,
        help_text=_("申込要領 V.1(2)②により、原則として代表者と事業責任者の両方に出席をお願いします。お二人の氏名・役職を記入してください。"),
    )
    jetro_staff = StaffChoiceField(label=_("ジェトロ側の出席者"), required=False,
                                   queryset=User.objects.none(),
                                   widget=forms.CheckboxSelectMultiple)
    expert_candidate = forms.ModelChoiceField(label=_("専門家候補"), required=False,
                                              queryset=Expert.objects.none(),
                                              empty_label=_("（未定）"))
    notice_channel = forms.ChoiceField(
        label=_("企業への連絡方法"), choices=NoticeChannel.choices, widget=forms.RadioSelect,
        initial=NoticeChannel.EMAIL,
        help_text=_("メールを選ぶと、日時・場所（又はURL）・出席者を記載した案内メールを申込担当者に送ります。電話で連絡した場合はメールは送らず、下の連絡記録を残します。"),
    )
    contact_note = forms.CharField(
        label=_("電話連絡の記録（電話の場合）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("連絡した相手・日時・伝えた内容を記入してください。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jetro_staff"].queryset = interview_staff_users()
        current = (self.initial.get("expert_candidate") if self.initial else None)
        experts = Expert.objects.filter(Q(is_active=True) | Q(pk=getattr(current, "pk", current)))
        self.fields["expert_candidate"].queryset = experts.order_by("name_kana", "name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page template writes the token
        self.helper.layout = Layout(
            Field("scheduled_at"), Field("duration_minutes"), InlineRadios("mode"),
            Field("place"), Field("meeting_url"), Field("company_attendees"),
            Field("jetro_staff"), Field("expert_candidate"), InlineRadios("notice_channel"),
            Field("contact_note"),
        )

    def clean_scheduled_at(self) -> datetime:
        value = self.cleaned_data["scheduled_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("これから先の日時を入力してください。"))
        return value

    def clean(self):
        data = super().clean()
        for name in ("place", "company_attendees", "contact_note"):
            if name in data:
                data[name] = _nfc(data[name])
        mode = data.get("mode")
        if mode == InterviewMode.IN_PERSON and not data.get("place"):
            self.add_error("place", _("対面の面談には場所を入力してください。"))
        if mode == InterviewMode.ONLINE and not data.get("meeting_url") \
                and "meeting_url" not in self.errors:
            self.add_error("meeting_url", _("オンラインの面談には会議のURLを入力してください。"))
        if data.get("notice_channel") == NoticeChannel.PHONE and not data.get("contact_note"):
            self.add_error("contact_note",
                           _("電話で連絡した場合は、連絡記録（相手・日時・内容）を入力してください。"))
        return data

    @classmethod
    def initial_from(cls, interview) -> dict:
        return {
            "scheduled_at": timezone.localtime(interview.scheduled_at),
            "duration_minutes": interview.duration_minutes, "mode": interview.mode,
            "place": interview.place, "meeting_url": interview.meeting_url,
            "company_attendees": interview.company_attendees,
            "jetro_staff": list(interview.jetro_staff.all()),
            "expert_candidate": interview.expert_candidate,
            "notice_channel": interview.notice_channel,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "scheduled_at", "duration_minutes", "mode", "place", "meeting_url",
            "company_attendees", "jetro_staff", "expert_candidate", "notice_channel",
            "contact_note")}


class InterviewCancelForm(forms.Form):
    note = forms.CharField(
        label=_("取り消しの理由（社内用・企業には送りません）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notice_channel = InterviewForm.base_fields["notice_channel"]
    contact_note = InterviewForm.base_fields["contact_note"]

    def clean(self):
        data = super().clean()
        data["note"] = _nfc(data.get("note", ""))
        data["contact_note"] = _nfc(data.get("contact_note", ""))
        if data.get("notice_channel") == NoticeChannel.PHONE and not data["contact_note"]:
            self.add_error("contact_note",
                           _("電話で連絡した場合は、連絡記録（相手・日時・内容）を入力してください。"))
        return data


class CommitteeMoveForm(forms.Form):
    note = forms.CharField(
        label=_("手動で最終審査に進める理由（社内用・必須）"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("専門家マッチングの機能ができるまでの暫定の手続きです。提案する専門家などを記入してください。"),
    )

    def clean_note(self) -> str:
        value = _nfc(self.cleaned_data["note"])
        if not value:
            raise forms.ValidationError(_("理由を入力してください。"))
        return value
