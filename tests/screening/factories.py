"""Factories for the screening tests: companies of different industries and prefectures, and
many applications at once (bulk_create, a handful of queries whatever the number)."""

from datetime import datetime
from itertools import cycle

import factory

from applications.enums import ApplicationStatus, Industry, LegalForm, ProjectType
from applications.models import Application, Company
from handson.enums import Role
from tests.factories import CallFactory, CompanyFactory, UserFactory

INDUSTRIES = [value for value, _label in Industry.choices]
PREFECTURES = ["13", "27", "01", "40", "23", "47"]
COUNTRY_SETS = [["US"], ["VN", "TH"], ["CN", "US"], ["DE"], ["TH", "US", "VN"]]


class VariedCompanyFactory(CompanyFactory):
    """Companies cycling through the four industries and six prefectures."""

    industry = factory.Iterator(INDUSTRIES)
    prefecture = factory.Iterator(PREFECTURES)
    corporate_number = factory.Sequence(lambda n: f"{n:013d}")


def make_applications(n: int, *, call=None, applicant=None, staff=(), statuses=None,
                      received_at: datetime | None = None, **fields) -> list[Application]:
    """`n` applications (each with its own company) in a constant number of queries.

    Companies and rows vary (industry, prefecture, status, country, staff in charge) so
    that a page showing them would reveal a query per row. `status_changed_at` is "now"
    (auto_now_add); move it with a queryset update where a test needs another date.
    """
    call = call or CallFactory()
    applicant = applicant or UserFactory(role=Role.APPLICANT)
    start = Company.objects.count()
    companies = Company.objects.bulk_create([
        Company(name=f"株式会社一括{start + i}", name_kana=f"カブシキガイシャイッカツ{start + i}",
                corporate_number=f"9{start + i:012d}", legal_form=LegalForm.COMPANY,
                postal_code="1076006", prefecture=prefecture, address="港区赤坂1-12-32",
                representative="山田 太郎", industry=industry, capital_yen=10_000_000,
                regular_employees=25)
        for i, industry, prefecture in zip(range(n), cycle(INDUSTRIES), cycle(PREFECTURES),
                                           strict=False)
    ])
    statuses = cycle(statuses or [ApplicationStatus.RECEIVED, ApplicationStatus.DOCUMENT_SCREENING,
                                  ApplicationStatus.INTERVIEW_SCHEDULED])
    staff_cycle = cycle(list(staff) or [None])
    countries = cycle(COUNTRY_SETS)
    applications = [
        Application(
            call=call, company=company, applicant=applicant, status=next(statuses),
            received_at=received_at, staff_in_charge=next(staff_cycle),
            contact_name="佐藤 花子", contact_email=applicant.email,
            contact_phone="03-3582-8333", project_type=ProjectType.EXPORT,
            target_countries=next(countries), product_name="精密加工部品",
            eligibility_result={"size_category": "sme", "findings": []},
            eligibility_outcome="eligible", **fields,
        )
        for company in companies
    ]
    return Application.objects.bulk_create(applications)
