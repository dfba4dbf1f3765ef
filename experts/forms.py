"""Forms of the experts room: the registry (staff), the expert's own profile, conflicts,
the matching choice and the replacement.

The registry forms are plain forms whose `data_for_service()` hands exactly their own fields
to the service: a POSTed field a form does not declare (e.g. `capacity` or `is_active` in
the expert's own profile) is never read.
"""

from django import forms
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.countries import REGIONS
from applications.enums import Industry
from applications.models import Application, Company
from applications.normalize import (
    InputError,
    normalize_email,
    normalize_kana,
    normalize_phone,
    normalize_text,
    to_katakana,
)
from experts.enums import ExpertiseField, Region
from experts.languages import LANGUAGE_CHOICES
from experts.services import PROFILE_FIELDS, REGISTRY_FIELDS
from handson.enums import Role
from handson.models import User

COUNTRY_GROUPS = [(region, list(items)) for region, items in REGIONS]
MAX_CAPACITY = 30


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=forms.CheckboxSelectMultiple, help_text=help_text)


def _in_choice_order(values, choices) -> list[str]:
    flat = [code for code, label in choices if not isinstance(label, list | tuple)] + [
        code for _, items in choices if isinstance(items, list | tuple) for code, _ in items]
    chosen = set(values or ())
    return [code for code in flat if code in chosen]


class ExpertForm(forms.Form):
    """The registry entry (staff). `FIELDS` are the fields this form shows and saves."""

    FIELDS = REGISTRY_FIELDS
    CHOICE_FIELDS = {
        "regions": Region.choices, "countries": COUNTRY_GROUPS,
        "industries": Industry.choices, "fields": ExpertiseField.choices,
        "languages": LANGUAGE_CHOICES,
    }

    name = forms.CharField(label=_("氏名"), max_length=100)
    name_kana = forms.CharField(label=_("氏名（フリガナ）"), max_length=100,
                                help_text=_("全角カタカナ（ひらがなは自動でカタカナにします）"))
    # Normalised (全角＠ and letters) before the syntax check, in clean_email.
    email = forms.CharField(label=_("メールアドレス"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False,
                            help_text=_("例：03-3582-8333"))
    regions = _checkboxes(_("担当地域"), Region.choices)
    countries = _checkboxes(_("対応国・地域"), COUNTRY_GROUPS,
                            _("地域を担当していても、個別に対応できる国があれば選んでください。"))
    industries = _checkboxes(_("対応業種"), Industry.choices)
    fields = _checkboxes(_("専門分野"), ExpertiseField.choices)
    languages = _checkboxes(_("対応言語（日本語以外）"), LANGUAGE_CHOICES)
    capacity = forms.IntegerField(label=_("同時に担当できる企業数"), min_value=1,
                                  max_value=MAX_CAPACITY, initial=5)
    profile = forms.CharField(label=_("経歴・得意分野"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    is_active = forms.BooleanField(label=_("稼働中（マッチングの候補にする）"), required=False,
                                   initial=True)
    user = forms.ModelChoiceField(
        label=_("ログインアカウント"), required=False, queryset=User.objects.none(),
        empty_label=_("（なし）"),
        help_text=_("専門家ポータルにログインするアカウント（専門家の権限を持ち、他の専門家に"
                    "結び付いていないもの）。"))

    def __init__(self, *args, expert=None, **kwargs):
        if expert is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(expert, name) for name in self.FIELDS}
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS:
                del self.fields[name]
        if "user" in self.fields:
            free = Q(expert_profile__isnull=True)
            if expert is not None and expert.user_id:
                free |= Q(pk=expert.user_id)
            self.fields["user"].queryset = (
                User.objects.filter(groups__name=Role.EXPERT.value, is_active=True)
                .filter(free).order_by("username").distinct())

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        try:
            return normalize_kana(self.cleaned_data["name_kana"])
        except InputError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_email(self):
        value = normalize_email(self.cleaned_data["email"])
        validate_email(value)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not (value or "").strip():
            return ""
        try:
            return normalize_phone(value)
        except InputError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_profile(self):
        return (self.cleaned_data["profile"] or "").replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        for name, choices in self.CHOICE_FIELDS.items():
            if name in data:
                data[name] = _in_choice_order(data[name], choices)
        return data

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ExpertProfileForm(ExpertForm):
    """The expert's own profile: contact, coverage and profile text only."""

    FIELDS = PROFILE_FIELDS


class ExpertFilterForm(forms.Form):
    """Search and filters of the registry list (read from the query string)."""

    ACTIVE_CHOICES = [("", _("すべて")), ("1", _("稼働中のみ")), ("0", _("稼働していない専門家のみ"))]

    q = forms.CharField(label=_("氏名・フリガナ・メールアドレス"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("担当地域"), required=False,
                               choices=[("", _("すべて"))] + Region.choices)
    country = forms.ChoiceField(label=_("対応国・地域"), required=False,
                                choices=[("", _("すべて"))] + COUNTRY_GROUPS)
    field = forms.ChoiceField(label=_("専門分野"), required=False,
                              choices=[("", _("すべて"))] + ExpertiseField.choices)
    active = forms.ChoiceField(label=_("稼働"), required=False, choices=ACTIVE_CHOICES)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        text = normalize_text(data.get("q"))
        if text:
            kana = to_katakana(text)
            queryset = queryset.filter(Q(name__icontains=text) | Q(name_kana__icontains=kana)
                                       | Q(email__icontains=text))
        # JSON lists of codes: the quoted code in the list's text form ('["US", "VN"]'),
        # which reads the same on PostgreSQL and SQLite. Codes never contain quotes.
        for name, lookup in (("region", "regions"), ("country", "countries"),
                             ("field", "fields")):
            if data.get(name):
                queryset = queryset.filter(**{f"{lookup}__icontains": f'"{data[name]}"'})
        if data.get("active") in ("0", "1"):
            queryset = queryset.filter(is_active=data["active"] == "1")
        return queryset


class ConflictForm(forms.Form):
    """A conflict of interest: the company by 法人番号, 受付番号 or (part of) its name."""

    company = forms.CharField(
        label=_("企業"), max_length=200,
        help_text=_("法人番号（13桁）、受付番号、または企業名・フリガナの一部で指定します。"))
    note = forms.CharField(label=_("内容（社内用）"), max_length=300, required=False)

    MAX_SHOWN = 5

    def clean_company(self) -> Company:
        text = normalize_text(self.cleaned_data["company"])
        digits = text.replace("-", "")
        if digits.isdigit() and len(digits) == 13:
            matches = list(Company.objects.filter(corporate_number=digits)[:self.MAX_SHOWN + 1])
        elif digits.isdigit():
            application = (Application.objects.filter(pk=int(digits))
                           .select_related("company").first())
            matches = [application.company] if application else []
        else:
            kana = to_katakana(text)
            matches = list(Company.objects.filter(Q(name__icontains=text)
                                                  | Q(name_kana__icontains=kana))
                           .order_by("name_kana", "pk")[:self.MAX_SHOWN + 1])
        if not matches:
            raise forms.ValidationError(_("該当する企業がありません。"))
        if len(matches) > 1:
            names = "、".join(c.name for c in matches[:self.MAX_SHOWN])
            raise forms.ValidationError(
                _("該当する企業が複数あります（%(names)s など）。法人番号か受付番号で指定してください。")
                % {"names": names})
        return matches[0]


class ChooseExpertForm(forms.Form):
    """The expert chosen from the ranked list (its score and reasons are recomputed)."""

    expert = forms.TypedChoiceField(label=_("担当にする専門家"), coerce=int, choices=(),
                                    widget=forms.RadioSelect,
                                    error_messages={"required": _("専門家を選んでください。")})

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(c.expert_id, c.name) for c in candidates]


class NoExpertForm(forms.Form):
    note = forms.CharField(
        label=_("適した専門家がいない理由（社内用・申込者には開示されません）"),
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("理由を入力してください。")})


class ReplaceForm(ChooseExpertForm):
    reason = forms.CharField(
        label=_("交替の理由（社内用）"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, error_messages={"required": _("交替の理由を入力してください。")})
