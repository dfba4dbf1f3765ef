"""The CSV export of the staff application list (what the list shows, one row each).

UTF-8 with a BOM so that Excel opens it in Japanese; Japanese headers. Cells that a
spreadsheet would read as a formula (starting with = + - @, or a tab / carriage return)
get a leading apostrophe (OWASP "CSV injection").
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone

from applications.countries import country_name
from applications.models import Application
from screening.selectors import days_since, outcome_label, size_category_label

BOM = "\ufeff"
HEADERS = [
    "受付番号/ID", "企業名", "フリガナ", "法人番号", "都道府県", "業種", "規模区分", "要件判定",
    "状態", "受付日", "状態の日数", "対象国", "プロジェクト種類", "担当職員",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500


def safe_cell(value) -> str | int:
    """A cell as text, defused if a spreadsheet could take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def application_row(application: Application, today: date) -> list:
    company = application.company
    received = (timezone.localtime(application.received_at).date().isoformat()
                if application.received_at else "")
    return [safe_cell(cell) for cell in (
        application.pk,
        company.name,
        company.name_kana,
        company.corporate_number,
        company.get_prefecture_display(),
        company.get_industry_display(),
        size_category_label(application),
        outcome_label(application.eligibility_outcome),
        application.get_status_display(),
        received,
        days_since(application.status_changed_at, today),
        "、".join(country_name(code) for code in application.target_countries or []),
        application.get_project_type_display(),
        str(application.staff_in_charge) if application.staff_in_charge else "",
    )]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(applications: Iterable[Application], today: date) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADERS)
    for application in applications:
        yield writer.writerow(application_row(application, today))
