"""What is still missing before the application can be submitted (DOCS-COMPLETE).

`missing_items(application)` is called by the WEB form page (the summary) and by the
submission service (to refuse an incomplete application). Each item is one Japanese sentence,
in the order of the form. Unanswered yes/no questions are "missing" here even though the
eligibility hint treats them as favourable for now.
"""

from applications.enums import DocumentKind
from applications.fiscal_years import YEARS_REQUIRED
from applications.models import Application, Document, WebFormAnswers
from applications.webform_questions import (
    DECLARATIONS,
    FOLLOW_UPS,
    OTHER_SUPPORT_FIELDS,
    PLAN_TEXTS,
    requirement_questions,
)


def answers_of(application: Application) -> WebFormAnswers:
    """The saved answers, or an unsaved empty set when the applicant has not started."""
    try:
        return application.answers
    except WebFormAnswers.DoesNotExist:
        return WebFormAnswers(application=application)


def _label(name: str) -> str:
    return str(WebFormAnswers._meta.get_field(name).verbose_name)


def unanswered_questions(application: Application, answers: WebFormAnswers) -> list[str]:
    """Names of the yes/no questions (incl. declarations) that still need an answer."""
    names = [name for name in OTHER_SUPPORT_FIELDS if name == "parallel_human_support"]
    names += [*requirement_questions(application.project_type), *DECLARATIONS]
    missing = []
    for name in names:
        follows = FOLLOW_UPS.get(name)
        if follows and getattr(answers, follows) is not True:
            continue  # a follow-up question is asked only after a "yes"
        if getattr(answers, name) is None:
            missing.append(name)
    return missing


def financial_statement_years(documents) -> list[int]:
    return sorted({d.fiscal_year for d in documents
                   if d.kind == DocumentKind.FINANCIAL_STATEMENT and d.fiscal_year}, reverse=True)


def missing_items(application: Application) -> list[str]:
    answers = answers_of(application)
    documents = list(Document.objects.filter(application=application))
    items = [f"「{_label(name)}」が未入力です。"
             for name in PLAN_TEXTS if not getattr(answers, name).strip()]
    items += [f"「{_label(name)}」にお答えください。"
              for name in unanswered_questions(application, answers)]

    years = financial_statement_years(documents)
    if len(years) < YEARS_REQUIRED and not application.contact_notes.strip():
        items.append(
            f"決算報告書（直近3カ年度分）がそろっていません（提出済み: {len(years)}年度分）。"
            "3カ年度分を提出できない場合は、その理由を連絡事項にご記入ください。"
        )
    has_catalogue = any(d.kind == DocumentKind.PRODUCT_CATALOGUE for d in documents)
    if not application.product_url.strip() and not has_catalogue:
        items.append("対象製品・サービスのURL、又は写真・カタログのPDFが必要です。")
    return items
