"""The filters, search and sort of the staff application list (and its CSV export).

A plain Django form read from the query string: `ApplicationFilterForm(request.GET)`, then
`form.filter(queryset)`. An invalid value is reported on its field and that filter is
ignored; the others still apply.

Target country: `country` matches an application that names the country **anywhere** in its
list (up to 3, COUNTRY-COUNT) by default, because staff looking for "Vietnam" want every
company that wants to go there; choosing 「第1希望のみ」 restricts it to the first priority.
The match is on the JSON list positions 0–2, which works the same on PostgreSQL and SQLite.

Search (`q`): NFKC first (全角 digits and letters, 半角カナ), then
- digits only (hyphens and spaces ignored): the 法人番号 contains them, or — up to 9
  digits — the 受付番号 (the application's ID) equals them;
- otherwise the company name contains the text, or the フリガナ contains it after hiragana is
  turned into katakana (「あおば」 finds 「アオバ」).
"""

import re

from django import forms
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from applications.countries import COUNTRY_CHOICES
from applications.eligibility import OUTCOME_LABELS, SIZE_CATEGORY_LABELS
from applications.enums import PREFECTURES, ApplicationStatus, Industry, ProjectType
from applications.models import Call
from applications.normalize import nfkc, to_katakana
from screening.selectors import WaitLevel, staff_users

MAX_TARGET_COUNTRIES = 3  # COUNTRY-COUNT: up to 3 with the US-tariff case
UNASSIGNED = "none"
NO_OUTCOME = "none"

# sort key → order_by; "-" in front of a key means descending. Ties are broken by the ID.
# Applications not received yet (no date) come last either way, on every database.
SORTS = {
    "received": (F("received_at").asc(nulls_last=True), "pk"),
    "-received": (F("received_at").desc(nulls_last=True), "-pk"),
    "kana": ("company__name_kana", "pk"),
    "-kana": ("-company__name_kana", "-pk"),
    # Days in stage: fewer days = a newer status change.
    "days": ("-status_changed_at", "-pk"),
    "-days": ("status_changed_at", "pk"),
    "status": ("status_rank", "pk"),
    "-status": ("-status_rank", "-pk"),
}
DEFAULT_SORT = "-received"
SORT_CHOICES = [
    ("-received", _("受付日（新しい順）")), ("received", _("受付日（古い順）")),
    ("kana", _("フリガナ（ア→ン）")), ("-kana", _("フリガナ（ン→ア）")),
    ("-days", _("状態の日数（長い順）")), ("days", _("状態の日数（短い順）")),
    ("status", _("状態（手続きの順）")), ("-status", _("状態（逆順）")),
]

_DIGITS_RE = re.compile(r"[\s\-‐‑‒–—―−ー－]+")
_SPACES_RE = re.compile(r"\s+")


def _blank(label):
    return [("", label)]


def normalize_query(value: str) -> str:
    return _SPACES_RE.sub(" ", nfkc(value)).strip()


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    digits = _DIGITS_RE.sub("", text)
    if digits.isdigit():
        condition = Q(company__corporate_number__contains=digits)
        if len(digits) <= 9:
            condition |= Q(pk=int(digits))
        return queryset.filter(condition)
    # フリガナ is compared without spaces on both sides: 「アオバ セイキ」, 「あおばせいき」 and
    # 「アオバセイキ」 all find 「アオバセイキ　カブシキガイシャ」.
    kana = to_katakana(text).replace(" ", "")
    return queryset.annotate(
        _kana_compact=Replace("company__name_kana", Value("　"), Value("")),
    ).filter(Q(company__name__icontains=text) | Q(_kana_compact__icontains=kana))


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"), required=False, max_length=100,
        help_text=_("企業名、フリガナ（ひらがな可）、法人番号、受付番号"),
    )
    call = forms.ModelChoiceField(label=_("募集回"), required=False, queryset=Call.objects.none(),
                                  empty_label=_("すべて"))
    status = forms.ChoiceField(label=_("状態"), required=False,
                               choices=_blank(_("すべて")) + list(ApplicationStatus.choices))
    project_type = forms.ChoiceField(label=_("プロジェクトの種類"), required=False,
                                     choices=_blank(_("すべて")) + list(ProjectType.choices))
    country = forms.ChoiceField(label=_("対象国・地域"), required=False,
                                choices=_blank(_("すべて")) + COUNTRY_CHOICES[1:])
    country_first_only = forms.BooleanField(label=_("第1希望の国・地域のみ"), required=False)
    industry = forms.ChoiceField(label=_("業種"), required=False,
                                 choices=_blank(_("すべて")) + list(Industry.choices))
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False,
                                   choices=_blank(_("すべて")) + PREFECTURES)
    size_category = forms.ChoiceField(label=_("規模区分"), required=False,
                                      choices=_blank(_("すべて"))
                                      + list(SIZE_CATEGORY_LABELS.items()))
    eligibility_outcome = forms.ChoiceField(
        label=_("要件判定"), required=False,
        choices=_blank(_("すべて")) + list(OUTCOME_LABELS.items())
        + [(NO_OUTCOME, _("未判定"))],
    )
    staff = forms.ChoiceField(label=_("担当職員"), required=False)
    wait = forms.ChoiceField(
        label=_("書類審査の待ち日数"), required=False,
        choices=_blank(_("すべて")) + [
            (str(WaitLevel.ATTENTION), _("要注意以上（受付から30日以上）")),
            (str(WaitLevel.OVERDUE), _("超過（受付から60日超）")),
        ],
    )
    sort = forms.ChoiceField(label=_("並び順"), required=False, choices=SORT_CHOICES)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)
        self.fields["call"].queryset = Call.objects.order_by("-fiscal_year")
        self.fields["staff"].choices = (
            _blank(_("すべて")) + [(UNASSIGNED, _("未割当"))]
            + [(str(user.pk), str(user)) for user in staff_users()]
        )

    def clean_q(self) -> str:
        return normalize_query(self.cleaned_data["q"])

    @property
    def values(self) -> dict:
        """The valid filters (an invalid one is left out and shown as an error)."""
        self.is_valid()
        return self.cleaned_data

    @property
    def sort_key(self) -> str:
        return self.values.get("sort") or DEFAULT_SORT

    def filter(self, queryset: QuerySet) -> QuerySet:
        data = self.values
        if data.get("q"):
            queryset = apply_search(queryset, data["q"])
        if data.get("call"):
            queryset = queryset.filter(call=data["call"])
        for name, lookup in (("status", "status"), ("project_type", "project_type"),
                             ("industry", "company__industry"),
                             ("prefecture", "company__prefecture"),
                             ("size_category", "eligibility_result__size_category")):
            if data.get(name):
                queryset = queryset.filter(**{lookup: data[name]})
        if data.get("country"):
            queryset = queryset.filter(self._country_q(data["country"],
                                                       data.get("country_first_only")))
        outcome = data.get("eligibility_outcome")
        if outcome:
            queryset = queryset.filter(eligibility_outcome="" if outcome == NO_OUTCOME
                                       else outcome)
        staff = data.get("staff")
        if staff == UNASSIGNED:
            queryset = queryset.filter(staff_in_charge__isnull=True)
        elif staff:
            queryset = queryset.filter(staff_in_charge_id=int(staff))
        if data.get("wait"):
            queryset = queryset.filter(wait_level__gte=int(data["wait"]))
        return queryset.order_by(*SORTS[self.sort_key])

    @staticmethod
    def _country_q(code: str, first_only: bool) -> Q:
        positions = range(1 if first_only else MAX_TARGET_COUNTRIES)
        condition = Q()
        for index in positions:
            condition |= Q(**{f"target_countries__{index}": code})
        return condition

    @property
    def active_filters(self) -> bool:
        return any(value for name, value in self.values.items() if name != "sort")
