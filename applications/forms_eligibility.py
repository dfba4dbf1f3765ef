"""The eligibility self-check form (anyone, no login, nothing stored) and the staff override form.

The self-check asks only what the engine needs. Questions that do not apply to the answers
given (export vs overseas base, capital of a sole proprietor, follow-ups after "no") are
not required and are ignored by `facts()`; static/js/eligibility.js hides them, and without
JavaScript they are simply shown.
"""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.countries import COUNTRY_CHOICES
from applications.eligibility import (
    FINDING_OUTCOME_LABELS,
    INDUSTRY_LABELS,
    LEGAL_FORM_LABELS,
    PROJECT_TYPE_LABELS,
    SPECIAL_INDUSTRY_LABELS,
    EligibilityFacts,
)
from applications.models import WebFormAnswers

YES, NO, UNKNOWN = "yes", "no", "unknown"
YES_NO_REQUIRED = _("「はい」か「いいえ」を選んでください。")
CAPITAL_MAX = 10**16  # 1京円: anything at or above it is a typing mistake
EMPLOYEES_MAX = 10_000_000

COMPANY_QUESTIONS = ("consulting_business", "project_is_consulting_base_or_license")
EXPORT_QUESTIONS = ("product_exists", "procures_domestically_for_export", "supplier_permission",
                    "aims_export_or_agent_contract", "product_legal", "b2b")
BASE_QUESTIONS = ("aims_local_entity", "base_operation_started", "complies_local_law")
COMMON_QUESTIONS = ("management_approved", "continuous_export_to_target",
                    "local_base_in_target", "parallel_human_support",
                    "parallel_support_is_approved_consortium_specialist")
DECLARATIONS = ("declares_no_legal_violation", "declares_no_subsidy_violation",
                "declares_not_antisocial", "consents_to_reporting")
# A follow-up is asked (and read) only after a "yes" to the question it follows.
FOLLOW_UPS = {
    "project_is_consulting_base_or_license": "consulting_business",
    "supplier_permission": "procures_domestically_for_export",
    "parallel_support_is_approved_consortium_specialist": "parallel_human_support",
}
# III.1(1) size: which company fields apply to which legal form, and their required messages.
SIZE_FIELDS = ("group_members_all_sme", "industry", "special_industry", "capital_yen",
               "regular_employees")
SIZE_FIELDS_BY_FORM = {
    "company": ("industry", "special_industry", "capital_yen", "regular_employees"),
    "individual": ("industry", "regular_employees"),
    "other": ("industry", "capital_yen", "regular_employees"),
    "group": ("group_members_all_sme",),
}
SIZE_REQUIRED = {
    "group_members_all_sme": _("「はい」「いいえ」「分からない」のいずれかを選んでください。"),
    "industry": _("主たる事業の業種を選んでください。"),
    "regular_employees": _("常時使用する従業員数を入力してください。"),
}
YES_NO_QUESTIONS = (*COMPANY_QUESTIONS, *EXPORT_QUESTIONS, *BASE_QUESTIONS, *COMMON_QUESTIONS,
                    *DECLARATIONS)

HELP_TEXTS = {
    "project_is_consulting_base_or_license": _(
        "前の質問に「はい」の場合のみ。そのコンサルティング等の海外拠点設立やライセンス輸出を"
        "目的とするプロジェクトかどうかです。"),
    "procures_domestically_for_export": _(
        "商社・卸売業として、他社の製品を国内で仕入れて輸出する場合は「はい」です。"),
    "supplier_permission": _("前の質問に「はい」の場合のみお答えください。"),
    "b2b": _("取引先（輸出先・販売先）が企業の場合は「はい」です。一般消費者への直接販売は対象外です。"),
    "continuous_export_to_target": _(
        "選んだ国・地域に、すでに継続して輸出している場合は「はい」です。"),
    "local_base_in_target": _(
        "選んだ国・地域に、すでに現地法人・支店・駐在員事務所等がある場合は「はい」です。"),
    "parallel_human_support": _(
        "専門家・コンサルタント等、名称を問わず、同じ時期に同じ内容の人的支援を受ける予定が"
        "あれば「はい」です。"),
    "parallel_support_is_approved_consortium_specialist": _(
        "前の質問に「はい」の場合のみ。ジェトロの承認を受けて利用するコンソーシアムの"
        "専門分野の専門家は例外として認められます。"),
    "consents_to_reporting": _(
        "支援期間中・終了後のアンケート等への回答と、利用実績の公表への同意です。"),
}


def _question_label(name: str) -> str:
    return WebFormAnswers._meta.get_field(name).verbose_name


class YesNoField(forms.TypedChoiceField):
    """はい/いいえ as radio buttons; None when not answered (required-ness is decided in clean)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(YES, _("はい")), (NO, _("いいえ"))], coerce=lambda value: value == YES,
            empty_value=None, required=False, widget=forms.RadioSelect,
            error_messages={"invalid_choice": YES_NO_REQUIRED}, **kwargs,
        )


_AMOUNT = re.compile(r"(?:(?P<oku>\d+)億)?(?:(?P<man>\d+)万)?(?P<yen>\d+)?")


class YenField(forms.CharField):
    """Capital in yen: 10000000, 10,000,000円, 1000万円, 1億5000万, full-width digits alike."""

    default_error_messages = {
        "invalid": _("資本金は「10000000」や「1000万」のように、数字で入力してください。"),
        "max_value": _("資本金の額が大きすぎます。入力をご確認ください。"),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        text = text.removesuffix("円")
        match = _AMOUNT.fullmatch(text)
        if not text or match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = (int(match["oku"] or 0) * 100_000_000 + int(match["man"] or 0) * 10_000
                  + int(match["yen"] or 0))
        if amount >= CAPITAL_MAX:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return amount


class PeopleField(forms.CharField):
    """A head count: 25, ２５, 1,200人."""

    default_error_messages = {
        "invalid": _("常時使用する従業員数は、0以上の整数（例: 25）で入力してください。"),
        "max_value": _("常時使用する従業員数が大きすぎます。入力をご確認ください。"),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        text = text.removesuffix("人")
        if not text.isascii() or not text.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        count = int(text)
        if count > EMPLOYEES_MAX:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return count


def _radio(choices: dict[str, str], label, required_message, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=list(choices.items()), widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


def _country(label, *, required: bool) -> forms.ChoiceField:
    choices = COUNTRY_CHOICES if required else [("", _("（選ばない）")), *COUNTRY_CHOICES[1:]]
    return forms.ChoiceField(
        label=label, choices=choices, required=required,
        error_messages={"required": _("対象国・地域（第1希望）を選んでください。"),
                        "invalid_choice": _("一覧から国・地域を選んでください。")},
    )


class AriaErrorsMixin:
    """Tie each error to its input (aria-describedby, aria-invalid) for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field_id = self[name].auto_id
            ids = [f"{field_id}_helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*ids, f"{field_id}_error"])
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " is-invalid"


class SelfCheckForm(AriaErrorsMixin, forms.Form):
    # --- 1. The company (III.1(1)) ---
    legal_form = _radio(LEGAL_FORM_LABELS, _("組織形態"), _("組織形態を選んでください。"))
    group_members_all_sme = forms.ChoiceField(
        label=_("グループの構成員は、すべて中小企業ですか"),
        choices=[(YES, _("はい")), (NO, _("いいえ")), (UNKNOWN, _("分からない"))],
        widget=forms.RadioSelect, required=False,
        help_text=_("グループでお申し込みの場合のみお答えください。"),
        error_messages={"invalid_choice": _("「はい」「いいえ」「分からない」のいずれかを選んでください。")},
    )
    industry = _radio(INDUSTRY_LABELS, _("主たる事業の業種"),
                      _("主たる事業の業種を選んでください。"), required=False,
                      help_text=_("複数の事業がある場合は、売上高がいちばん大きい事業で選んでください。"
                                  "業種の分け方は下の説明をご覧ください。"))
    special_industry = forms.ChoiceField(
        label=_("政令で定める業種"), required=False,
        choices=[("", _("当たらない")), *SPECIAL_INDUSTRY_LABELS.items()],
        help_text=_("会社の場合のみ。ゴム製品製造業、ソフトウェア業・情報処理サービス業、旅館業の"
                    "いずれかに当たる場合は選んでください。中堅企業に当たるかどうかの確認に使います。"),
    )
    capital_yen = YenField(
        label=_("資本金の額（出資の総額）"), required=False,
        widget=forms.TextInput(attrs={"maxlength": 40, "autocomplete": "off"}),
        help_text=_("会社の場合のみ。円で入力してください（例: 10000000、1000万円、1億5000万円）。"),
    )
    regular_employees = PeopleField(
        label=_("常時使用する従業員の数"), required=False,
        widget=forms.TextInput(attrs={"maxlength": 20, "inputmode": "numeric",
                                      "autocomplete": "off"}),
        help_text=_("役員や事業主ご本人、日雇いの方などは数えません（下の説明をご覧ください）。"),
    )
    consulting_business = YesNoField(label=_question_label("consulting_business"))
    project_is_consulting_base_or_license = YesNoField(
        label=_question_label("project_is_consulting_base_or_license"))

    # --- 2. The project (III.3, III.4) ---
    project_type = _radio(PROJECT_TYPE_LABELS, _("プロジェクトの種類"),
                          _("プロジェクトの種類を選んでください。"))
    country_1 = _country(_("第1希望"), required=True)
    country_2 = _country(_("第2希望（任意）"), required=False)
    country_3 = _country(_("第3希望（任意）"), required=False)
    us_tariff_response = forms.BooleanField(
        label=_("米国関税措置への対応策として、米国への事業展開を希望する"), required=False,
        help_text=_("この場合に限り、米国を含めて3か国・地域まで選べます。"),
    )
    product_exists = YesNoField(label=_question_label("product_exists"))
    procures_domestically_for_export = YesNoField(
        label=_question_label("procures_domestically_for_export"))
    supplier_permission = YesNoField(label=_question_label("supplier_permission"))
    aims_export_or_agent_contract = YesNoField(
        label=_question_label("aims_export_or_agent_contract"))
    product_legal = YesNoField(label=_question_label("product_legal"))
    b2b = YesNoField(label=_question_label("b2b"))
    aims_local_entity = YesNoField(label=_question_label("aims_local_entity"))
    base_operation_started = YesNoField(label=_question_label("base_operation_started"))
    complies_local_law = YesNoField(label=_question_label("complies_local_law"))
    management_approved = YesNoField(label=_question_label("management_approved"))
    continuous_export_to_target = YesNoField(
        label=_question_label("continuous_export_to_target"))
    local_base_in_target = YesNoField(label=_question_label("local_base_in_target"))
    parallel_human_support = YesNoField(label=_question_label("parallel_human_support"))
    parallel_support_is_approved_consortium_specialist = YesNoField(
        label=_question_label("parallel_support_is_approved_consortium_specialist"))

    # --- 3. Declarations (III.1(2)(4)) ---
    declares_no_legal_violation = YesNoField(label=_question_label("declares_no_legal_violation"))
    declares_no_subsidy_violation = YesNoField(
        label=_question_label("declares_no_subsidy_violation"))
    declares_not_antisocial = YesNoField(label=_question_label("declares_not_antisocial"))
    consents_to_reporting = YesNoField(label=_question_label("consents_to_reporting"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sc-%s")
        super().__init__(*args, **kwargs)
        for name, text in HELP_TEXTS.items():
            self.fields[name].help_text = text
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-select"
            elif isinstance(widget, forms.TextInput):
                widget.attrs["class"] = "form-control"

    @staticmethod
    def required_questions(data: dict) -> list[str]:
        """The yes/no questions that apply to the answers given, in the form's order."""
        names = list(COMPANY_QUESTIONS)
        if data.get("project_type") == "export":
            names += EXPORT_QUESTIONS
        elif data.get("project_type") == "overseas_base":
            names += BASE_QUESTIONS
        names += [*COMMON_QUESTIONS, *DECLARATIONS]
        return [n for n in names if n not in FOLLOW_UPS or data.get(FOLLOW_UPS[n]) is True]

    def clean(self):
        data = super().clean()
        legal_form = data.get("legal_form")
        size_fields = SIZE_FIELDS_BY_FORM.get(legal_form, SIZE_FIELDS)
        relevant = {*size_fields, *self.required_questions(data)}
        # Questions that do not apply are ignored, even when filled in wrongly (no JavaScript).
        for name in (*SIZE_FIELDS, *YES_NO_QUESTIONS):
            if name not in relevant:
                self._errors.pop(name, None)
                data.pop(name, None)
        required = dict(SIZE_REQUIRED)
        if legal_form == "company":  # the capital test is for 会社 only; optional for others
            required["capital_yen"] = _("資本金の額を入力してください。")
        for name, message in required.items():
            if legal_form and name in size_fields and data.get(name) in (None, "") and (
                    name not in self._errors):
                self.add_error(name, message)
        for name in self.required_questions(data):
            if data.get(name) is None and name not in self._errors:
                self.add_error(name, YES_NO_REQUIRED)
        return data

    def target_countries(self) -> list[str]:
        data = self.cleaned_data
        return [code for code in (data.get(f"country_{n}") for n in (1, 2, 3)) if code]

    def facts(self) -> EligibilityFacts:
        """The engine's facts from valid answers; questions that do not apply are ignored."""
        data = self.cleaned_data
        legal_form = data["legal_form"]
        answered = {name: data[name] for name in self.required_questions(data)}
        group_answer = data.get("group_members_all_sme")
        return EligibilityFacts(
            legal_form=legal_form,
            industry=data.get("industry") or "manufacturing_other",  # not read for a group
            capital_yen=data.get("capital_yen") if legal_form in ("company", "other") else None,
            regular_employees=(data.get("regular_employees") or 0)
            if legal_form != "group" else 0,
            group_members_all_sme=(
                {YES: True, NO: False}.get(group_answer) if legal_form == "group" else None),
            special_industry=(data.get("special_industry") or None)
            if legal_form == "company" else None,
            project_type=data["project_type"],
            target_countries=self.target_countries(),
            us_tariff_response=data.get("us_tariff_response", False),
            **answered,
        )


class OverrideForm(AriaErrorsMixin, forms.Form):
    """One finding's override on the staff page (prefixed per rule ID)."""

    new_outcome = forms.ChoiceField(
        label=_("変更後の判定"), choices=list(FINDING_OUTCOME_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("変更後の判定を選んでください。"),
                        "invalid_choice": _("変更後の判定を選んでください。")},
    )
    reason = forms.CharField(
        label=_("変更の理由"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("必須。判断の根拠（確認した資料、申込者への確認内容など）を記録します。"
                    "申込者には表示されません。"),
        error_messages={"required": _("判定を変更する理由を入力してください。"),
                        "max_length": _("理由は%(limit_value)s文字以内で入力してください"
                                        "（現在%(show_value)s文字）。")},
    )

    def __init__(self, *args, current_outcome: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_outcome = current_outcome

    def clean_reason(self) -> str:
        reason = unicodedata.normalize("NFC", self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("判定を変更する理由を入力してください。"))
        return reason

    def clean_new_outcome(self) -> str:
        outcome = self.cleaned_data["new_outcome"]
        if outcome == self.current_outcome:
            raise forms.ValidationError(_("現在の判定と同じです。別の判定を選んでください。"))
        return outcome
