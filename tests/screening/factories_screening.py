"""Factories of the screening tests: complete applications, staff, experts, interviews."""

from datetime import datetime

import factory
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.enums import DocumentKind
from applications.models import Document, WebFormAnswers
from applications.webform_questions import (
    BASE_QUESTIONS,
    COMMON_PROJECT_QUESTIONS,
    CONSULTING_QUESTIONS,
    DECLARATIONS,
    EXPORT_QUESTIONS,
    PLAN_TEXTS,
)
from experts.models import Expert
from handson.enums import Role
from screening.enums import SCORED_CRITERIA
from tests.factories import ApplicationFactory, UserFactory

YES_NO = ("parallel_human_support", *CONSULTING_QUESTIONS, *EXPORT_QUESTIONS, *BASE_QUESTIONS,
          *COMMON_PROJECT_QUESTIONS, *DECLARATIONS)


def staff_user(**kwargs):
    return UserFactory(role=Role.STAFF, **kwargs)


def complete_application(*, status=S.RECEIVED, financial_years=(2025, 2024, 2023),
                         product_url="https://example.jp/products/seimitsu", answers=None,
                         **kwargs):
    """An application whose WEB form and documents are complete (DOCS-COMPLETE holds)."""
    application = ApplicationFactory(
        status=status, product_url=product_url,
        received_at=kwargs.pop("received_at", timezone.make_aware(datetime(2026, 5, 1, 10))),
        contact_email=kwargs.pop("contact_email", "sato@aoba.example.jp"), **kwargs)
    values = {name: f"{name}の回答です。" for name in PLAN_TEXTS}
    values.update({name: False for name in YES_NO})
    values.update({name: True for name in DECLARATIONS})
    values.update(answers or {})
    WebFormAnswers.objects.create(application=application, **values)
    for year in financial_years:
        Document.objects.create(application=application, kind=DocumentKind.FINANCIAL_STATEMENT,
                                fiscal_year=year, original_name=f"{year}.pdf", size_bytes=1000)
    return application


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"専門家 {n}")
    name_kana = factory.Sequence(lambda n: f"センモンカ{n}")
    email = factory.Sequence(lambda n: f"expert{n}@example.jp")


def scores(value: int = 4) -> dict[str, int]:
    return {criterion: value for criterion in SCORED_CRITERIA}


def assessment_post(value: int = 4, proposal: str = "pass", notes: str = "", bonuses=()) -> dict:
    data = {f"score_{c.replace('-', '_')}": str(value) for c in SCORED_CRITERIA}
    data.update({"proposal": proposal, "notes": notes, "bonuses": list(bonuses)})
    return data
