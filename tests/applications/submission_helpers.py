"""Helpers for the submission-room tests: a complete application, a frozen intake day."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import models

from applications.enums import DocumentKind, DocumentSource
from applications.models import Document, WebFormAnswers
from applications.webform_questions import PLAN_TEXTS
from tests.factories import ApplicationFactory

JST = ZoneInfo("Asia/Tokyo")
# A weekday inside the factory call's intake period (2026-04-01 … 2027-01-31).
INTAKE_DAY = datetime(2026, 5, 11, 10, 0, tzinfo=JST)

MARKET_NEEDS = "北米の半導体製造装置メーカーで精密部品の需要が伸びています。"


def complete(application, *, product_url: str = "https://example.jp/products/1",
             years=(2025, 2024, 2023)):
    """Fill the WEB form and the documents so that `missing_items` is empty."""
    answers = WebFormAnswers(application=application)
    for name in PLAN_TEXTS:
        setattr(answers, name, f"{name} の回答です。")
    answers.market_needs = MARKET_NEEDS
    for model_field in WebFormAnswers._meta.concrete_fields:
        if isinstance(model_field, models.BooleanField) and model_field.null:
            setattr(answers, model_field.name, _favourable(model_field.name))
    answers.save()
    for year in years:
        Document.objects.create(
            application=application, kind=DocumentKind.FINANCIAL_STATEMENT, fiscal_year=year,
            original_name=f"決算書{year}.pdf", size_bytes=123_456, page_count=3,
            source=DocumentSource.WEB,
        )
    application.product_url = product_url
    application.save(update_fields=["product_url"])
    return application


def _favourable(name: str) -> bool:
    """A "no" is the good answer to these questions; "yes" to the others."""
    return name not in {
        "parallel_human_support", "consulting_business", "project_is_consulting_base_or_license",
        "procures_domestically_for_export", "base_operation_started",
        "continuous_export_to_target", "local_base_in_target",
    }


def complete_application(**kwargs):
    return complete(ApplicationFactory(**kwargs))
