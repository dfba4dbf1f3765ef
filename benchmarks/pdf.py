"""PDF notices: handson.pdf against bare WeasyPrint on one A4 page of Japanese."""

import io

from benchmarks import harness

# Until the adoption notice (採択通知書) template exists, a notice of the same shape: a title,
# the addressee and about one A4 page of Japanese text (mincho and gothic).
TEMPLATE = "pdf/sample.html"
PARAGRAPH = (
    "貴社より申込みのありました「専門家による海外展開支援」につきまして、書類審査、面談審査"
    "および採択審査委員会における審議の結果、下記のとおり採択することといたしましたので通知"
    "いたします。支援の開始にあたっては、同封の同意書に必要事項をご記入のうえ、期日までにご"
    "提出ください。支援期間中は担当専門家が貴社を訪問し、海外市場の調査、販路の開拓、商談の"
    "準備などについて助言を行います。"
)
CONTEXT = {
    "title": "採択通知書",
    "date": "2026年5月1日",
    "company_name": "株式会社あおば精機",
    "body": PARAGRAPH * 8,  # the most that stays on one page
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


@harness.case("pdf.notice", "one-page Japanese notice: handson.pdf.render_pdf (template, "
              "locked fetcher, timer) vs bare WeasyPrint on the same HTML")
def notice(repeat: int) -> harness.Result:
    from django.template.loader import render_to_string
    from django.utils import translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from handson.pdf import render_pdf

    with translation.override("ja"):
        html = render_to_string(TEMPLATE, CONTEXT)
    produced = render_pdf(TEMPLATE, CONTEXT)
    pages = len(PdfReader(io.BytesIO(produced)).pages)
    if pages != 1:
        raise harness.Unavailable(f"{TEMPLATE} gave {pages} pages, the floor is one A4 page")

    target, floor = harness.paired_samples(
        lambda: render_pdf(TEMPLATE, CONTEXT),
        lambda: HTML(string=html).write_pdf(),
        repeat=repeat,
    )
    return harness.Result(
        figure=harness.median(target), floor=harness.median(floor),
        budget=harness.Budget(max_ratio=2.0),
        notes=[_environment_note(),
               f"median of {repeat}; p95 {harness.fmt(harness.p95(target), 's')} vs "
               f"{harness.fmt(harness.p95(floor), 's')}; {len(produced):,} bytes, 1 page, "
               f"template {TEMPLATE}"],
    )
