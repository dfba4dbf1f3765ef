"""Fiscal years offered for 決算報告書 (DOCS-FS): the latest years before the call, with 和暦."""

from django.utils.translation import gettext as _

# (first Gregorian year, era name); 元年 is the first year of an era.
_ERAS = [(2019, "令和"), (1989, "平成"), (1926, "昭和")]
YEARS_OFFERED = 4  # e.g. the FY2026 call offers 2025, 2024, 2023, 2022
YEARS_REQUIRED = 3  # DOCS-FS: the latest three fiscal years


def wareki(year: int) -> str:
    """2025 → 令和7年, 2019 → 令和元年, 2018 → 平成30年."""
    for first, era in _ERAS:
        if year >= first:
            number = year - first + 1
            return f"{era}{'元' if number == 1 else number}年"
    return f"{year}年"


def fiscal_year_label(year: int) -> str:
    """「2025年度（令和7年度）」."""
    return _("%(year)s年度（%(wareki)s度）") % {"year": year, "wareki": wareki(year)}


def offered_fiscal_years(call) -> list[int]:
    """Newest first: the YEARS_OFFERED fiscal years before the call's own year."""
    return [call.fiscal_year - offset for offset in range(1, YEARS_OFFERED + 1)]


def fiscal_year_choices(call) -> list[tuple[int, str]]:
    return [(year, fiscal_year_label(year)) for year in offered_fiscal_years(call)]
