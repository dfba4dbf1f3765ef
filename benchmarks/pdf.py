"""The adoption notice PDF: handson.pdf against bare WeasyPrint on the same one A4 page."""

import io

from benchmarks import harness

# The adoption notice (採択通知書) as screening.services.notices.notice_document renders it,
# for a realistic company: unsaved model instances, so no database is needed.
TEMPLATE = "pdf/adoption_notice.html"


def _context() -> dict:
    from datetime import date

    from applications.countries import country_name
    from applications.enums import ApplicationStatus, Industry, LegalForm, ProjectType
    from applications.models import Application, Call, Company

    call = Call(fiscal_year=2026, title="2026年度 専門家による海外展開支援",
                opens_on=date(2026, 4, 1), closes_on=date(2027, 1, 31), planned_count=300,
                decisions_not_before=date(2026, 4, 6), support_end_limit=date(2027, 2, 28))
    company = Company(name="株式会社あおば精機", name_kana="カブシキガイシャアオバセイキ",
                      corporate_number="1234567890123", legal_form=LegalForm.COMPANY,
                      postal_code="9800811", prefecture="04", address="仙台市青葉区一番町4-6-1",
                      representative="青葉 一郎", industry=Industry.MANUFACTURING_OTHER,
                      capital_yen=30_000_000, regular_employees=48)
    application = Application(call=call, company=company, status=ApplicationStatus.ADOPTED,
                              consortium_id="C26-00123", project_type=ProjectType.EXPORT,
                              target_countries=["VN", "TH", "US"], us_tariff_response=True,
                              product_name="半導体製造装置向け精密加工部品")
    return {
        "application": application, "company": company, "call": call,
        "consortium_id": application.consortium_id, "issued_on": date(2026, 6, 1),
        "title": "採択通知書", "fiscal_year": call.fiscal_year,
        "support_end_limit": call.support_end_limit,
        "countries": [country_name(code) for code in application.target_countries],
        "address": f"{company.get_prefecture_display()}{company.address}",
    }


def _environment_note() -> str:
    """The figure depends on these more than on our code (docs/quality.md, "Speed")."""
    import weasyprint
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz

    # The condition WeasyPrint itself uses to choose HarfBuzz over fontTools.
    subset = fonts.harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
    return f"WeasyPrint {weasyprint.__version__}, HarfBuzz-Subset " + (
        "in use" if subset else
        "MISSING: fonts are subset by fontTools, 4-30x slower (apt-get install "
        "libharfbuzz-subset0)")


@harness.case("pdf.notice", "the adoption notice (採択通知書): handson.pdf.render_pdf (template, "
              "locked fetcher, timer) vs bare WeasyPrint on the same HTML")
def notice(repeat: int) -> harness.Result:
    from django.template import TemplateDoesNotExist
    from django.template.loader import render_to_string
    from django.utils import translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from handson.pdf import render_pdf

    context = _context()
    try:
        with translation.override("ja"):
            html = render_to_string(TEMPLATE, context)
    except TemplateDoesNotExist as exc:
        raise harness.Unavailable(f"{TEMPLATE} does not exist") from exc
    produced = render_pdf(TEMPLATE, context)
    pages = len(PdfReader(io.BytesIO(produced)).pages)
    if pages < 1:
        raise harness.Unavailable(f"{TEMPLATE} gave no page")

    target, floor = harness.paired_samples(
        lambda: render_pdf(TEMPLATE, context),
        lambda: HTML(string=html).write_pdf(),
        repeat=repeat,
    )
    return harness.Result(
        figure=harness.median(target), floor=harness.median(floor),
        budget=harness.Budget(max_ratio=2.0),
        notes=[_environment_note(),
               f"median of {repeat}; p95 {harness.fmt(harness.p95(target), 's')} vs "
               f"{harness.fmt(harness.p95(floor), 's')}; {len(produced):,} bytes, "
               f"{pages} page{'s' if pages > 1 else ''}, template {TEMPLATE}"]
        + ([f"the notice should fit one A4 page but runs to {pages} (both sides render the "
            f"same HTML, so the ratio still compares like with like)"] if pages > 1 else []),
    )
