"""Forms of the online registration (steps 1–3). Input is normalised here (normalize.py).

Every message is Japanese and attached to its field, so it is shown next to the input and
tied to it (Django sets aria-invalid and aria-describedby="<id>_error"). Only declared
fields are read: extra POST fields (`status`, `call`, …) are ignored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.countries import COUNTRY_CHOICES, JAPAN, UNITED_STATES, country_name
from applications.enums import PREFECTURES, Industry, LegalForm, ProjectType, SpecialIndustry
from applications.normalize import (
    InputError,
    normalize_capital,
    normalize_corporate_number,
    normalize_email,
    normalize_employees,
    normalize_kana,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
)


def _required(label) -> dict:
    return {"required": format_lazy(_("{label}を入力してください。"), label=label)}


def _choose(label) -> dict:
    return {"required": format_lazy(_("{label}を選んでください。"), label=label),
            "invalid_choice": format_lazy(_("{label}を一覧から選んでください。"), label=label)}


class NormalizedField(forms.Field):
    """A text input whose value goes through a normalize.py function before validation."""

    widget = forms.TextInput

    def __init__(self, *, normalizer=normalize_text, max_length: int | None = None,
                 **kwargs):
        self.normalizer = normalizer
        self.max_length = max_length
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.max_length:
            attrs["maxlength"] = str(self.max_length)
        return attrs

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if text in self.empty_values:
            return None if self.normalizer in (normalize_capital,) else ""
        try:
            value = self.normalizer(text)
        except InputError as exc:
            raise ValidationError(exc.message, code="invalid") from exc
        if self.max_length and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                _("%(max)d文字以内で入力してください（現在%(n)d文字）。"),
                code="max_length", params={"max": self.max_length, "n": len(value)},
            )
        return value


class NormalizedEmailField(forms.EmailField):
    """全角で入力されたアドレスも受け付ける (NFKC before the syntax check)."""

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class NormalizedURLField(forms.URLField):
    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("error_messages", {
            "invalid": _("URLの形式が正しくありません（例：https://www.example.co.jp/）。")})
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(normalize_text(value))


class CountryField(forms.ChoiceField):
    """One target country/region (COUNTRY-COUNT): Japan is never a target."""

    def __init__(self, **kwargs):
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)

    def validate(self, value):
        if value == JAPAN:
            raise ValidationError(
                _("日本は対象国・地域に選べません。海外の国・地域を選んでください。"),
                code="japan")
        super().validate(value)


def _text(label, max_length, *, required=True, autocomplete=None, help_text="", **attrs):
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return NormalizedField(label=label, max_length=max_length, required=required,
                           help_text=help_text, error_messages=_required(label),
                           widget=forms.TextInput(attrs=attrs))


EMPLOYEES_HELP = _(
    "労働基準法第20条の「解雇の予告」が必要な従業員の数です。役員、個人事業主ご本人、"
    "日々雇い入れられる人、2か月以内の期間を定めて使用される人、季節的業務に4か月以内の"
    "期間を定めて使用される人、試みの使用期間中（14日以内）の人は含めません。"
    "パート・派遣・出向の方は実態により判断してください。"
)
INDUSTRY_HELP = _(
    "売上高が最も大きい事業（主たる事業）の業種を、日本標準産業分類にもとづいて選んでください。"
    "選び方は下の「業種の選び方」をご覧ください。"
)


class CompanyForm(forms.Form):
    """Step 1: the company (応募企業)."""

    name = _text(_("企業名"), 200, autocomplete="organization",
                 help_text=_("正式名称でご記入ください（例：株式会社ジェトロ製作所）。"))
    name_kana = NormalizedField(
        label=_("企業名（フリガナ）"), max_length=200, normalizer=normalize_kana,
        error_messages=_required(_("企業名（フリガナ）")),
        help_text=_("全角カタカナでご記入ください。ひらがなで入力しても自動でカタカナに"
                    "変換します。「株式会社」などの法人格も含めてください。"),
    )
    corporate_number = NormalizedField(
        label=_("法人番号"), max_length=13, required=False,
        normalizer=normalize_corporate_number,
        help_text=_("13桁の数字です。個人事業主の方など、法人番号をお持ちでない場合は空欄で"
                    "構いません。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    legal_form = forms.ChoiceField(
        label=_("組織形態"), choices=[("", _("選択してください")), *LegalForm.choices],
        error_messages=_choose(_("組織形態")))
    postal_code = NormalizedField(
        label=_("郵便番号"), max_length=8, normalizer=normalize_postal_code,
        error_messages=_required(_("郵便番号")),
        help_text=_("7桁の数字です。ハイフンはあってもなくても構いません（例：107-6006）。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    prefecture = forms.ChoiceField(
        label=_("都道府県"), choices=[("", _("選択してください")), *PREFECTURES],
        error_messages=_choose(_("都道府県")),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}))
    address = _text(_("住所（市区町村以降）"), 300, autocomplete="street-address",
                    help_text=_("市区町村、番地、建物名・階までご記入ください。"))
    representative = _text(_("代表者名"), 100,
                           help_text=_("代表者の氏名をご記入ください（役職名は不要です）。"))
    industry = forms.ChoiceField(
        label=_("主たる業種"), choices=[("", _("選択してください")), *Industry.choices],
        error_messages=_choose(_("主たる業種")), help_text=INDUSTRY_HELP)
    special_industry = forms.ChoiceField(
        label=_("政令で定める業種"), required=False,
        choices=[("", _("該当なし")), *SpecialIndustry.choices],
        error_messages=_choose(_("政令で定める業種")),
        help_text=_("主たる事業が次のいずれかに当たる場合だけ選んでください。"
                    "当たらない場合は「該当なし」のままで構いません。"))
    capital_yen = NormalizedField(
        label=_("資本金（円）"), required=False, normalizer=normalize_capital,
        help_text=_("資本金の額又は出資の総額を円単位でご記入ください（「3億」「1,000万」の"
                    "ようにも入力できます）。個人事業主の方は入力不要です。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    regular_employees = NormalizedField(
        label=_("常時使用する従業員数（人）"), normalizer=normalize_employees,
        error_messages={"required": _("常時使用する従業員数を入力してください（いない場合は0）。")},
        help_text=EMPLOYEES_HELP, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    website = NormalizedURLField(
        label=_("ウェブサイト"), required=False, max_length=200,
        help_text=_("会社のウェブサイトがあればご記入ください（任意）。"),
        widget=forms.URLInput(attrs={"autocomplete": "url"}))

    def clean(self):
        data = super().clean()
        legal_form = data.get("legal_form")
        if legal_form == LegalForm.INDIVIDUAL:
            data["capital_yen"] = None  # no capital test for a sole proprietor (SIZE-SME)
        elif legal_form == LegalForm.COMPANY and data.get("capital_yen") is None \
                and "capital_yen" not in self.errors:
            self.add_error("capital_yen", _("会社の場合は資本金を入力してください。"))
        return data


class ContactForm(forms.Form):
    """Step 2: the contact person, who receives the automatic reply (FORM-AUTOREPLY)."""

    contact_name = _text(_("ご担当者名"), 100, autocomplete="name")
    contact_department = _text(_("部署名・役職"), 100, required=False,
                               autocomplete="organization-title")
    contact_email = NormalizedEmailField(
        label=_("メールアドレス"), max_length=254,
        error_messages={**_required(_("メールアドレス")),
                        "invalid": _("メールアドレスの形式が正しくありません（例：taro@example.co.jp）。")},
        help_text=_("WEBフォームへのリンクを、このアドレスに自動返信メールでお送りします。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_email_confirm = NormalizedEmailField(
        label=_("メールアドレス（確認のため再入力）"), max_length=254,
        error_messages={**_required(_("確認用のメールアドレス")),
                        "invalid": _("メールアドレスの形式が正しくありません（例：taro@example.co.jp）。")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = NormalizedField(
        label=_("電話番号"), max_length=20, normalizer=normalize_phone,
        error_messages=_required(_("電話番号")),
        help_text=_("日中にご連絡がつく番号を、市外局番からご記入ください（例：03-3582-8333）。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean(self):
        data = super().clean()
        email, confirm = data.get("contact_email"), data.get("contact_email_confirm")
        if email and confirm and email.lower() != confirm.lower():
            self.add_error("contact_email_confirm",
                           _("確認用のメールアドレスが一致しません。もう一度ご確認ください。"))
        return data


COUNTRY_FIELDS = ("country_1", "country_2", "country_3")


class ProjectForm(forms.Form):
    """Step 3: the project in brief; the rest is asked in the WEB form."""

    project_type = forms.ChoiceField(
        label=_("プロジェクトの種類"), choices=[("", _("選択してください")), *ProjectType.choices],
        error_messages=_choose(_("プロジェクトの種類")),
        help_text=_("輸出や現地代理店契約を目指す場合は「輸出」、現地法人・支店・駐在員事務所"
                    "などの設立を目指す場合は「海外拠点設立」です。"))
    country_1 = CountryField(label=_("第1希望"), error_messages=_choose(_("対象国・地域")))
    country_2 = CountryField(label=_("第2希望（任意）"), required=False)
    country_3 = CountryField(
        label=_("第3希望（米国関税措置への対応の場合のみ）"), required=False)
    us_tariff_response = forms.BooleanField(
        label=_("米国関税措置への対応策として、米国への事業展開を希望します"), required=False,
        help_text=_("チェックした場合は、米国を含めて3か国・地域まで選べます。"))
    product_name = _text(_("対象製品・サービス名"), 200)
    product_url = NormalizedURLField(
        label=_("製品・サービスを紹介するURL（任意）"), required=False, max_length=200,
        help_text=_("URLがない場合は、写真又はカタログのPDF（10MB以下）をWEBフォームで"
                    "お送りください。"))

    def clean(self):
        """COUNTRY-COUNT: 1 in principle, up to 2 ranked, 3 only with the US for tariffs."""
        data = super().clean()
        if any(f in self.errors for f in COUNTRY_FIELDS):
            return data
        chosen = {f: data.get(f) or "" for f in COUNTRY_FIELDS}
        if chosen["country_3"] and not chosen["country_2"]:
            self.add_error("country_2", _("第3希望を選ぶ場合は、第2希望から順に選んでください。"))
            return data
        seen: dict[str, str] = {}
        for number, field in enumerate(COUNTRY_FIELDS, start=1):
            code = chosen[field]
            if not code:
                continue
            if code in seen:
                self.add_error(field, _("%(name)sは%(other)sと重複しています。別の国・地域を"
                                        "選ぶか、空欄にしてください。") % {
                    "name": country_name(code), "other": seen[code]})
                return data
            seen[code] = _("第%(n)d希望") % {"n": number}
        codes = [chosen[f] for f in COUNTRY_FIELDS if chosen[f]]
        tariff = bool(data.get("us_tariff_response"))
        if len(codes) == 3:
            if UNITED_STATES not in codes:
                self.add_error("country_3", _(
                    "3か国・地域目を選べるのは、米国関税措置への対応として米国を対象に含める場合"
                    "だけです。米国を含めるか、2か国・地域までにしてください。"))
                return data
            if not tariff:
                self.add_error("us_tariff_response", _(
                    "3か国・地域を選ぶ場合は、米国関税措置への対応であることをチェックしてください"
                    "（そうでない場合は2か国・地域までです）。"))
                return data
        if tariff and UNITED_STATES not in codes:
            self.add_error("us_tariff_response", _(
                "米国関税措置への対応を選ぶ場合は、対象国・地域に米国を含めてください。"))
            return data
        data["target_countries"] = codes
        return data


class LinkResendForm(forms.Form):
    """"Mail me my link again": one address; the answer never says whether it is known."""

    email = NormalizedEmailField(
        label=_("ご登録のメールアドレス"), max_length=254,
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません（例：taro@example.co.jp）。"),
        },
        help_text=_("オンライン登録のときにご担当者のメールアドレスとして入力したアドレスです。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


STEPS = {
    1: ("company", CompanyForm, _("会社の情報")),
    2: ("contact", ContactForm, _("ご担当者の情報")),
    3: ("project", ProjectForm, _("プロジェクトの概要")),
}


def stored_values(form: forms.Form) -> dict:
    """The cleaned values as form data (strings), to keep in the draft and show again."""
    values = {}
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if isinstance(value, bool):
            values[name] = "on" if value else ""
        elif value is None:
            values[name] = ""
        elif name == "capital_yen":
            values[name] = f"{value:,}"
        else:
            values[name] = str(value)
    return values


def raw_values(form_class: type[forms.Form], data) -> dict:
    """What was typed, unchecked (the "back" button keeps it); only declared fields."""
    return {name: str(data.get(name, ""))[:1000] for name in form_class.base_fields}

