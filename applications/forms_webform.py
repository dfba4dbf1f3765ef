"""Forms of the WEB form page: one form per section, and the document upload form.

Each section form holds exactly the fields of its section (webform_questions.SECTIONS), so a
POST cannot change anything else (`status`, `application`, another company's id are simply
not fields). Nothing is required at save time: completeness is checked on submission.
"""

import unicodedata

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from applications.designations import DESIGNATIONS
from applications.enums import DocumentKind
from applications.fiscal_years import fiscal_year_choices
from applications.models import Application, WebFormAnswers
from applications.webform_questions import SECTIONS

TEXT_MAX = 4000
YES, NO = "yes", "no"

HELP_TEXTS = {
    "management_philosophy": _("選考基準①。経営理念・経営戦略をご記入ください。"),
    "expansion_motive": _("選考基準①。なぜ今、海外展開に取り組むのかをご記入ください。"),
    "executive_commitment": _("選考基準②。経営者と事業責任者の関わり方・意欲をご記入ください。"),
    "implementation_structure": _("選考基準③。担当者・体制（人数、語学、社内の役割分担など）。"),
    "financial_base": _("選考基準④。プロジェクトを遂行できる財務基盤について。"),
    "target_plan": _("選考基準⑤。対象国・地域で何を目指し、支援期間内にどのような成果を見込むか。"),
    "market_needs": _("選考基準⑥。対象国・地域での市場ニーズ（顧客、競合、価格など）。"),
    "desired_support": _("専門家にどのようなサポートを希望するかを、具体的にご記入ください。"),
    "trade_fair_plan": _("選考基準⑦。参加予定の展示会・商談会の名称・時期など。"),
    "designations": _("選考基準⑧。該当するものをすべて選んでください。"),
    "subsidies_received": _("選考基準⑨。補助金等の名称、所管、対象年度など。"),
    "other_support_services": _("選考基準⑩。利用中・申請中の専門家・コンサル等の人的支援サービスが"
                                "あれば、名称・実施機関・対象国・製品をご記入ください。"),
    "parallel_support_is_approved_consortium_specialist": _(
        "「はい」とお答えの場合のみ。ジェトロの承認を受けて利用するコンソーシアムの専門分野の"
        "専門家は例外として認められます。"),
    "project_is_consulting_base_or_license": _("前の質問に「はい」とお答えの場合のみお答えください。"),
    "supplier_permission": _("商社・卸として国内で調達した商材を輸出する場合のみお答えください。"),
    "product_url": _("例: https://www.example.co.jp/products/"),
    "contact_notes": _("ジェトロへの連絡事項があればご記入ください。"),
}


def _text_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={"max_length": _(
            "%(limit_value)s文字以内でご記入ください（現在%(show_value)s文字）。")},
    )


class YesNoField(forms.TypedChoiceField):
    """はい/いいえ as radio buttons; None until answered."""

    widget = forms.RadioSelect(attrs={"class": "form-check-input"})

    def __init__(self, **kwargs):
        super().__init__(choices=[(YES, _("はい")), (NO, _("いいえ"))],
                         coerce=lambda value: value == YES, empty_value=None, required=False,
                         error_messages={"invalid_choice": _("「はい」か「いいえ」を選んでください。")},
                         **kwargs)

    def prepare_value(self, value):
        if value is True:
            return YES
        if value is False:
            return NO
        return value


class NormalisedURLField(forms.URLField):
    """Full-width input (ｈｔｔｐｓ：／／…) is normalised (NFKC) before it is validated."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)


def _normalise_text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class SectionForm(forms.Form):
    """One section of the WEB form; `section` and `project_type` decide its fields."""

    def __init__(self, *args, section: str, project_type: str, **kwargs):
        kwargs.setdefault("prefix", section)
        super().__init__(*args, **kwargs)
        self.section = SECTIONS[section]
        for name in self.section.fields_for(project_type):
            self.fields[name] = self._field_for(name)
            if name in HELP_TEXTS:
                self.fields[name].help_text = HELP_TEXTS[name]

    @staticmethod
    def _field_for(name: str) -> forms.Field:
        if name == "product_url":
            return NormalisedURLField(
                label=Application._meta.get_field(name).verbose_name, required=False,
                max_length=200, assume_scheme="https",
                validators=[URLValidator(schemes=["http", "https"])],
                widget=forms.URLInput(attrs={"class": "form-control", "autocomplete": "url",
                                             "inputmode": "url"}),
                error_messages={"invalid": _("https:// で始まる正しいURLをご記入ください。")},
            )
        if name == "contact_notes":
            return _text_field(Application._meta.get_field(name).verbose_name)
        model_field = WebFormAnswers._meta.get_field(name)
        label = model_field.verbose_name
        if name == "designations":
            return forms.MultipleChoiceField(
                label=label, required=False, choices=DESIGNATIONS,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": _("一覧にない項目が選ばれています。")},
            )
        if model_field.get_internal_type() == "TextField":
            return _text_field(label)
        if model_field.null:
            return YesNoField(label=label)
        return forms.BooleanField(label=label, required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = _normalise_text(value)
        if "designations" in cleaned:  # stored in the list's order, no duplicates
            chosen = set(cleaned["designations"])
            cleaned["designations"] = [code for code, _label in DESIGNATIONS if code in chosen]
        return cleaned


class DocumentUploadForm(forms.Form):
    """One PDF for one slot: kind, fiscal_year (決算報告書 only), file."""

    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False,
                                         empty_value=None,
                                         widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(
        label=_("PDFファイル（10MB以下）"),
        widget=forms.ClearableFileInput(attrs={
            "class": "form-control", "accept": ".pdf,application/pdf",
            "data-max-bytes": str(10 * 1024 * 1024),
        }),
        error_messages={"required": _("ファイルを選んでください。"),
                        "empty": _("ファイルが空です（0バイト）。")},
    )
    slot = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(call)

    def clean(self):
        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("fiscal_year")
        if kind == DocumentKind.FINANCIAL_STATEMENT and year is None:
            self.add_error("fiscal_year", _("年度を選んでください。"))
        if kind == DocumentKind.PRODUCT_CATALOGUE:
            cleaned["fiscal_year"] = None
        return cleaned
