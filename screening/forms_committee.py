"""Forms of the committee (④) and the notices (⑤⑥). Only declared fields are read."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Call
from handson.enums import Role
from handson.models import User
from screening.enums import TieRule, VoteChoice
from screening.services.committee import agenda_candidates


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.company.name}（{obj.product_name}）"


class MeetingForm(forms.Form):
    call = forms.ModelChoiceField(label=_("募集回"), queryset=Call.objects.all(),
                                  empty_label=None)
    title = forms.CharField(label=_("名称"), max_length=200,
                            initial=_("採択企業選定審査委員会"))
    scheduled_at = forms.DateTimeField(
        label=_("開催日時"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("場所（任意）"), max_length=300, required=False)
    members = MemberChoiceField(label=_("委員"), queryset=User.objects.none(),
                                widget=forms.CheckboxSelectMultiple,
                                help_text=_("審査委員のアカウントから選びます。"))
    chair = forms.ModelChoiceField(label=_("委員長"), queryset=User.objects.none(),
                                   help_text=_("委員の中から選びます。"))
    quorum = forms.IntegerField(
        label=_("定足数"), min_value=1, max_value=50,
        help_text=_("「採択」「不採択」「棄権」のいずれかを投じた委員（回避した委員を除く）がこの人数以上のとき、その案件を決定できます。"))
    tie_rule = forms.ChoiceField(label=_("可否同数の扱い"), choices=TieRule.choices,
                                 initial=TieRule.CHAIR_DECIDES, widget=forms.RadioSelect)
    disclose_individual_votes = forms.BooleanField(
        label=_("議事録に委員ごとの投票を記載する"), required=False,
        help_text=_("記載しない場合、議事録には案件ごとの票数と決定、回避した委員だけを記載します。"))
    applications = ApplicationChoiceField(
        label=_("審議案件（最終審査中の申込）"), queryset=None,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        committee = (User.objects.filter(groups__name=Role.COMMITTEE, is_active=True)
                     .order_by("display_name", "username"))
        self.fields["members"].queryset = committee
        self.fields["chair"].queryset = committee
        self.fields["applications"].queryset = agenda_candidates(meeting=meeting)
        if meeting is not None:
            del self.fields["call"]

    def clean_title(self):
        return _nfc(self.cleaned_data["title"])

    def clean(self):
        data = super().clean()
        members, chair, quorum = data.get("members"), data.get("chair"), data.get("quorum")
        if members is not None and chair is not None and chair not in members:
            self.add_error("chair", _("委員長は「委員」で選んだ人の中から選んでください。"))
        if members is not None and quorum is not None and quorum > len(members):
            self.add_error("quorum", _("定足数は委員の人数（%(n)d名）以下にしてください。")
                           % {"n": len(members)})
        call, applications = data.get("call"), data.get("applications")
        if call is not None and applications is not None and any(
                a.call_id != call.pk for a in applications):
            self.add_error("applications", _("選んだ募集回の申込だけを選べます。"))
        return data

    @staticmethod
    def initial_from(meeting) -> dict:
        return {
            "title": meeting.title, "scheduled_at": meeting.scheduled_at,
            "place": meeting.place, "members": list(meeting.members.all()),
            "chair": meeting.chair, "quorum": meeting.quorum, "tie_rule": meeting.tie_rule,
            "disclose_individual_votes": meeting.disclose_individual_votes,
            "applications": [item.application for item in meeting.agenda.all()],
        }


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("投票"), choices=VoteChoice.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("投票の内容を選んでください。")})
    conflict_note = forms.CharField(
        label=_("利益相反の内容（「回避」を選んだときは必須）"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        note = _nfc(data.get("conflict_note", ""))
        if data.get("choice") == VoteChoice.RECUSED and not note:
            self.add_error("conflict_note", _("利益相反の内容を記入してください。"))
        data["conflict_note"] = note if data.get("choice") == VoteChoice.RECUSED else ""
        return data


class CloseForm(forms.Form):
    """One casting-decision field per tied item (chair-decides rule)."""

    def __init__(self, *args, tied_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tied_items = list(tied_items)
        for item in self.tied_items:
            self.fields[f"casting_{item.pk}"] = forms.ChoiceField(
                label=_("委員長の裁決：%(company)s") % {"company": item.application.company.name},
                choices=[(VoteChoice.ADOPT, _("採択")), (VoteChoice.REJECT, _("不採択"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("可否同数のため、委員長の裁決を選んでください。")})

    def casting(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"casting_{item.pk}"] for item in self.tied_items}


class NoticeEditForm(forms.Form):
    subject = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 20}),
                           max_length=20000)


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("取り消しの理由（社内用・申込者には開示されません）"),
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_note(self):
        return _nfc(self.cleaned_data["note"])
