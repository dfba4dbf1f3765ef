"""Forms of the support lifecycle. Only declared fields are read; the services decide.

The period forms run the same PERIOD-END check as the service (`period_errors`), so the
message sits next to its field; the service checks again under the row lock.
"""

import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from support.enums import TerminationReason
from support.services.lifecycle import day_ja, period_errors

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
               "input_formats": ["%Y-%m-%d", "%Y/%m/%d"]}


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, **DATE_WIDGET, **kwargs)


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


class ConsentForm(forms.Form):
    received_on = _date(_("同意書（原本）の受領日"),
                        help_text=_("署名・押印された原本がジェトロに届いた日です。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class PeriodFormMixin:
    """`call` and the consent date come from the case, never from the request."""

    def _setup_period(self, call, consent_received_on):
        self.call = call
        self.consent_received_on = consent_received_on
        self.fields["period_end"].help_text = _(
            "この募集回の支援期間は%(limit)sまでです（申込要領 III.6）。") % {
                "limit": day_ja(call.support_end_limit)}

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start is not None and end is not None:
            errors = period_errors(call=self.call, consent_received_on=self.consent_received_on,
                                   period_start=start, period_end=end)
            for field, message in errors.items():
                self.add_error(field or None, message)
        return data


class KickoffForm(PeriodFormMixin, forms.Form):
    kickoff_on = _date(_("キックオフミーティングの実施日"))
    agreed_support = forms.CharField(
        label=_("合意した支援内容"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("企業・ジェトロ・専門家の三者で確認した支援の内容です。企業の支援ページに表示されます。"))
    period_start = _date(_("支援開始日"))
    period_end = _date(_("支援終了予定日"))

    def __init__(self, *args, call, consent_received_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_period(call, consent_received_on)
        self.fields["kickoff_on"].initial = timezone.localdate()

    def clean_agreed_support(self):
        return _text(self.cleaned_data["agreed_support"])


class PeriodForm(PeriodFormMixin, forms.Form):
    period_start = _date(_("支援開始日"))
    period_end = _date(_("支援終了予定日"))
    note = forms.CharField(label=_("変更の理由（社内用・任意）"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, call, consent_received_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_period(call, consent_received_on)

    def clean_note(self):
        return _text(self.cleaned_data["note"])


class CompleteForm(forms.Form):
    ended_on = _date(
        _("終了日"),
        help_text=_("支援終了予定日より前に終了する場合は、目標達成による終了（III.6(2)、TERM-2）として記録します。"))


class TerminateForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("途中終了の理由（申込要領 III.6）"),
        choices=[("", _("選んでください")), *TerminationReason.choices],
        help_text=_("社内用です。企業へのお知らせ、企業のページ、PDFには表示しません。"))
    internal_note = forms.CharField(
        label=_("経緯・判断の内容（社内用）"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("企業には表示しません。"))
    ended_on = _date(_("終了日"))

    def clean_internal_note(self):
        return _text(self.cleaned_data["internal_note"])


class DeclinationPaperForm(forms.Form):
    """Staff record a 辞退届 that arrived on paper."""

    signer_name = forms.CharField(label=_("署名した代表者の氏名"), max_length=100)
    submitted_on = _date(_("辞退届の提出日（受領日）"))
    reason = forms.CharField(label=_("辞退の理由（辞退届の記載どおり・任意）"), max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_signer_name(self):
        return _name(self.cleaned_data["signer_name"])

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])


class DeclinationOnlineForm(forms.Form):
    """The applicant's 辞退届 (then a confirmation step)."""

    signer_name = forms.CharField(
        label=_("代表者の氏名"), max_length=100,
        help_text=_("辞退届の提出者となる代表者の氏名を入力してください（例：山田 太郎）。"))
    reason = forms.CharField(label=_("辞退の理由（任意）"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    understood = forms.BooleanField(
        label=_("辞退すると、この支援を受けられなくなること、辞退は取り消せないことを確認しました。"))

    def clean_signer_name(self):
        return _name(self.cleaned_data["signer_name"])

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])
