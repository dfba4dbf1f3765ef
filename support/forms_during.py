"""Forms of the DURING-support pages: activities, trips and costs, reviews, surveys.

Only the fields declared here are read from a POST (`status`, `case`, `expert` of another
company, `answered_at` … are ignored). The rules live in support/services/; a form only
checks and normalises its input, and `add_service_errors` ties a service's messages to the
fields they concern.
"""

import unicodedata
from collections.abc import Callable
from typing import TypeVar

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from support.enums import CancellationCause, CostBearer, ReviewDecision
from support.services.activities import RECORDABLE_KINDS, DuringError
from support.services.surveys import SCALE, questions_of

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CANCELLATION_ROWS = 3


def _text(value: str) -> str:
    """Free Japanese text: NFC only (NFKC would turn （） and ～ into ASCII)."""
    return unicodedata.normalize("NFC", value or "").strip()


def _code(value: str) -> str:
    """Codes and numbers: NFKC, so that ＵＳ or １２０，０００ are read as typed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page template writes the token
    if fields:
        helper.layout = Layout(*fields)
    return helper


T = TypeVar("T")


class DuringForm(forms.Form):
    def add_service_errors(self, errors: dict[str, str]) -> None:
        """A service's messages: on their field when the form has it, else on the form."""
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)

    def run(self, service: Callable[[dict], T]) -> tuple[T | None, int | None]:
        """Validate, then call `service(cleaned_data)`: (its result, None) when it ran.

        Otherwise (None, status) with the messages on the form: 400 for input the form or
        the service refuses, 409 when the case's state refuses it (a message on no field).
        """
        if not self.is_valid():
            return None, 400
        try:
            return service(self.cleaned_data), None
        except DuringError as exc:
            self.add_service_errors(exc.errors)
            return None, 409 if "" in exc.errors else 400


class ActivityForm(DuringForm):
    kind = forms.ChoiceField(label=_("種類"), choices=[(k.value, k.label) for k in RECORDABLE_KINDS])
    date = forms.DateField(label=_("実施日"), widget=DATE_WIDGET)
    participants = forms.CharField(
        label=_("参加者"), max_length=300, required=False,
        help_text=_("例：先方 代表取締役 山田様、海外営業部 佐藤様／ジェトロ 鈴木"))
    summary = forms.CharField(
        label=_("内容（企業にも表示されます）"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}))
    internal_note = forms.CharField(
        label=_("社内メモ（企業には表示しません）"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ジェトロと担当専門家だけが読めます。"))
    referral_service = forms.CharField(
        label=_("取り次いだサービス"), max_length=200, required=False,
        help_text=_("種類が「他の支援サービスへの取り次ぎ」のときは必須です（例：ジェトロ 輸出相談、中小機構 海外展開ハンズオン支援）。"))

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["kind", "date", "participants", "summary", "internal_note",
                  "referral_service"]
        if experts is not None:  # staff: who took part (JETRO alone: none)
            self.fields["expert"] = forms.ModelChoiceField(
                label=_("参加した専門家"), queryset=experts, required=False,
                empty_label=_("（専門家なし：ジェトロのみ）"))
            fields.insert(2, "expert")
        self.helper = _helper(*fields)

    def clean_participants(self):
        return _text(self.cleaned_data["participants"])

    def clean_referral_service(self):
        return _text(self.cleaned_data["referral_service"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == "referral" and not data.get("referral_service"):
            self.add_error("referral_service",
                           _("取り次いだサービス（ジェトロ又はコンソーシアムのサービス名）を入力してください。"))
        return data


class TripProposeForm(DuringForm):
    destination = forms.CharField(label=_("行き先（都市・訪問先）"), max_length=200,
                                  help_text=_("例：ロサンゼルス（展示会・現地バイヤー訪問）"))
    country = forms.CharField(label=_("国・地域コード（ISO 2文字）"), max_length=2,
                              required=False, help_text=_("例：US、VN、TH"))
    start_on = forms.DateField(label=_("出発日"), widget=DATE_WIDGET)
    end_on = forms.DateField(label=_("帰国日"), widget=DATE_WIDGET)
    purpose = forms.CharField(label=_("目的"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    company_share_note = forms.CharField(
        label=_("企業にご負担いただく費用の一部（2回目以降の同行）"), max_length=300, required=False,
        help_text=_("2回目以降の同行では必須です（募集要項 II.4(2)）。企業はこの内容を事前に確認します。"
                    "例：航空券代の2分の1（約15万円）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_destination(self):
        return _text(self.cleaned_data["destination"])

    def clean_country(self):
        return _code(self.cleaned_data["country"]).upper()

    def clean_company_share_note(self):
        return _text(self.cleaned_data["company_share_note"])


class TripConfirmForm(DuringForm):
    """The company confirms its share on its own page."""

    confirmed_by_name = forms.CharField(label=_("確認された方のお名前"), max_length=100)
    agree = forms.BooleanField(
        label=_("上記の費用の一部を当社が負担することを確認しました。"),
        error_messages={"required": _("内容をご確認のうえ、チェックを入れてください。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_confirmed_by_name(self):
        return " ".join(_text(self.cleaned_data["confirmed_by_name"]).split())


class StaffTripConfirmForm(DuringForm):
    """Staff record a confirmation the company gave by e-mail or phone."""

    confirmed_by_name = forms.CharField(label=_("確認した企業側の担当者"), max_length=100)
    channel = forms.ChoiceField(label=_("確認の方法"),
                                choices=[("email", _("メールで受領")), ("phone", _("電話で受領"))],
                                widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("confirmed_by_name"), InlineRadios("channel"))

    def clean_confirmed_by_name(self):
        return " ".join(_text(self.cleaned_data["confirmed_by_name"]).split())


def _yen_value(value: str):
    return _code(value).replace(",", "").replace("円", "")


class YenField(forms.IntegerField):
    def to_python(self, value):
        return super().to_python(_yen_value(value) if isinstance(value, str) else value)


class TripCostForm(DuringForm):
    description = forms.CharField(label=_("内容"), max_length=200,
                                  help_text=_("例：企業都合のタクシー代、展示会入場料"))
    amount_yen = YenField(label=_("金額（円）"), min_value=1, max_value=100_000_000)
    bearer = forms.ChoiceField(label=_("負担者"), choices=CostBearer.choices,
                               widget=forms.RadioSelect,
                               help_text=_("企業都合の費用（タクシー・展示会入場料等）と2回目以降の同行の企業負担分は「企業負担」（II.4）。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("description"), Field("amount_yen"), InlineRadios("bearer"))

    def clean_description(self):
        return _text(self.cleaned_data["description"])


class TripCancelForm(DuringForm):
    cause = forms.ChoiceField(label=_("取り消しの原因"), choices=CancellationCause.choices,
                              widget=forms.RadioSelect)

    def __init__(self, *args, with_costs: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field("cause")]
        self.with_costs = with_costs
        if with_costs:
            for n in range(1, CANCELLATION_ROWS + 1):
                self.fields[f"cost{n}_description"] = forms.CharField(
                    label=_("キャンセル費用%(n)s：内容") % {"n": n}, max_length=200,
                    required=False)
                self.fields[f"cost{n}_amount"] = YenField(
                    label=_("キャンセル費用%(n)s：金額（円）") % {"n": n}, required=False,
                    min_value=1, max_value=100_000_000)
                layout += [Field(f"cost{n}_description"), Field(f"cost{n}_amount")]
        self.helper = _helper(*layout)

    def clean(self):
        data = super().clean()
        for n in range(1, CANCELLATION_ROWS + 1 if self.with_costs else 1):
            description = _text(data.get(f"cost{n}_description") or "")
            amount = data.get(f"cost{n}_amount")
            if description and amount is None and f"cost{n}_amount" not in self.errors:
                self.add_error(f"cost{n}_amount", _("金額を入力してください。"))
            if amount is not None and not description:
                self.add_error(f"cost{n}_description", _("内容を入力してください。"))
        return data

    def costs(self) -> list[dict]:
        rows = []
        for n in range(1, CANCELLATION_ROWS + 1 if self.with_costs else 1):
            description = _text(self.cleaned_data.get(f"cost{n}_description") or "")
            if description:
                rows.append({"description": description,
                             "amount_yen": self.cleaned_data.get(f"cost{n}_amount")})
        return rows


class ReviewForm(DuringForm):
    held_on = forms.DateField(label=_("実施日"), widget=DATE_WIDGET)
    findings = forms.CharField(label=_("所見（社内用）"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("専門家を交替する場合は、これが交替の理由として記録されます。"))
    decision = forms.ChoiceField(label=_("結論"), choices=ReviewDecision.choices,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_expert"] = forms.ModelChoiceField(
            label=_("交替後の専門家（結論が「専門家を交替」のとき）"), required=False,
            queryset=experts if experts is not None else Expert.objects.none(),
            empty_label=_("（選択してください）"))
        self.helper = _helper(Field("held_on"), Field("findings"), Field("decision"),
                              Field("new_expert"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.CHANGE_EXPERT and not data.get("new_expert"):
            self.add_error("new_expert", _("交替後の専門家を選んでください。"))
        return data


class SurveyCreateForm(DuringForm):
    due_on = forms.DateField(label=_("回答期限"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SurveyAnswerForm(DuringForm):
    """The fixed questionnaire of the survey's kind (support.services.surveys.QUESTIONS)."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions_of(kind)
        layout = []
        for q in self.questions:
            if q.kind == "text":
                field = forms.CharField(label=q.label, required=q.required, max_length=2000,
                                        help_text=q.help_text,
                                        widget=forms.Textarea(attrs={"rows": 4}))
                layout.append(Field(q.key))
            elif q.kind == "scale":
                field = forms.TypedChoiceField(
                    label=q.label, required=q.required, help_text=q.help_text, coerce=int,
                    choices=[(n, str(n)) for n in SCALE], widget=forms.RadioSelect,
                    error_messages={"required": _("1〜5のいずれかを選んでください。")})
                layout.append(InlineRadios(q.key))
            else:
                field = YenField(label=q.label, required=q.required, help_text=q.help_text,
                                 min_value=0, max_value=10**13 if q.kind == "yen" else 100_000,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
                layout.append(Field(q.key))
            self.fields[q.key] = field
        self.helper = _helper(*layout)

    def answers(self) -> dict:
        return {q.key: (_text(self.cleaned_data[q.key]) if q.kind == "text"
                        else self.cleaned_data[q.key]) for q in self.questions}
