"""The PDF renderer (handson.pdf): Japanese text, embedded subset fonts, no file or network
access whatever the HTML asks for, and a render that is bounded in time.

Each "blocked" test has a control that renders the same HTML with WeasyPrint's own fetcher
and shows the leak happening, so a blocked result means the lock worked, not that the HTML
never asked.
"""

import http.server
import io
import logging
import shutil
import signal
import subprocess
import threading
import time

import pytest
from django.utils import translation
from pypdf import PdfReader

from handson import pdf
from tests import services

SAMPLE = {
    "title": "採択通知書",
    "date": "2026年5月1日",
    "company_name": "株式会社あおば精機",
    "body": "貴社の申込みについて審査の結果、採択となりましたのでお知らせいたします。",
}
# A 1x1 PNG.
PNG_DATA_URL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SECRET = "LEAKED-SECRET-7f3a"


def pdftotext(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        services.missing("pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, check=True, timeout=30)
    return result.stdout.decode()


def embedded_fonts(data: bytes) -> dict[str, int]:
    """BaseFont name -> size in bytes of the embedded font program, over all pages."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            fonts[str(font["/BaseFont"]).lstrip("/")] = len(program.get_object().get_data()) if program else 0
    return fonts


def page_images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def bare_weasyprint(html: str) -> bytes:
    """The same HTML through WeasyPrint's default fetcher: the controls."""
    from weasyprint import HTML

    return HTML(string=html, base_url="about:blank").write_pdf()


def heavy_html(pages: int = 40) -> str:
    row = "<tr><th>対象製品</th><td>精密加工部品（アルミ・ステンレス）の海外展開支援</td></tr>"
    return "<table>" + row * (pages * 25) + "</table>"


# -- Japanese text and fonts ---------------------------------------------------------------


def test_japanese_notice_is_extractable_text(tmp_path):
    data = pdf.render_pdf("pdf/sample.html", SAMPLE)
    assert data.startswith(b"%PDF-")
    lines = [line.strip() for line in pdftotext(data, tmp_path).splitlines() if line.strip()]
    assert lines == [
        "2026年5月1日",
        "採択通知書",
        "株式会社あおば精機 御中",
        "貴社の申込みについて審査の結果、採択となりましたのでお知らせいたします。",
        "1/1",
    ]
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_fonts_are_ipaex_embedded_and_subset():
    fonts = embedded_fonts(pdf.render_pdf("pdf/sample.html", SAMPLE))
    families = sorted(name.split("+", 1)[1] for name in fonts)
    # h1 is bold (IPAexGothic has no bold face; fontconfig emboldens it), the body is mincho.
    assert families == ["IPAexGothic", "IPAexGothic-Bold", "IPAexMincho"]
    for name, size in fonts.items():
        prefix = name.split("+", 1)[0]
        assert len(prefix) == 6 and prefix.isalpha() and prefix.isupper(), name  # subset tag
        # The full IPAex fonts are about 4 MB each; a subset of a few dozen glyphs is small.
        assert 0 < size < 60_000, (name, size)


def test_fonts_are_subset_by_harfbuzz_not_fonttools(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.render_pdf("pdf/sample.html", SAMPLE)
    assert len(data) < 60_000
    assert [r.getMessage() for r in caplog.records if "HarfBuzz" in r.getMessage()] == []


def test_missing_harfbuzz_subset_would_be_caught(caplog, monkeypatch):
    """Control for the test above: without HarfBuzz-Subset, WeasyPrint does warn."""
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.render_pdf("pdf/sample.html", SAMPLE)
    assert any("Using fontTools instead of HarfBuzz-Subset" in r.getMessage()
               for r in caplog.records)


def test_title_and_language_are_in_the_pdf_metadata():
    reader = PdfReader(io.BytesIO(pdf.render_pdf("pdf/sample.html", SAMPLE)))
    assert reader.metadata.title == "採択通知書"
    assert reader.trailer["/Root"]["/Lang"] == "ja"


def test_english_render_is_marked_english_and_restores_the_language():
    with translation.override("ja"):
        data = pdf.render_pdf("pdf/sample.html", SAMPLE, language="en")
        assert translation.get_language() == "ja"
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


# -- No file, no network -------------------------------------------------------------------


def test_company_name_with_markup_comes_out_as_text(tmp_path):
    context = {**SAMPLE, "company_name": '<img src="file:///etc/passwd">株式会社<b>X</b>'}
    data = pdf.render_pdf("pdf/sample.html", context)
    text = pdftotext(data, tmp_path)
    assert '<img src="file:///etc/passwd">株式会社<b>X</b> 御中' in text
    assert "root:" not in text
    assert page_images(data) == 0


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://127.0.0.1/x.css",
    "https://example.jp/logo.png",
    "ftp://example.jp/x",
    "//example.jp/x.png",
    "/etc/passwd",
    "about:blank",
    " data:text/plain,leading-space",
])
def test_fetcher_refuses_everything_but_data_urls(url):
    with pytest.raises(pdf.BlockedUrl):
        pdf.locked_url_fetcher().fetch(url)


def test_fetcher_reads_data_urls():
    response = pdf.locked_url_fetcher().fetch("data:text/plain;charset=utf-8,%E6%A0%AA")
    assert response.read().decode() == "株"


def test_data_url_image_is_rendered():
    data = pdf.html_to_pdf(f'<p>画像</p><img src="{PNG_DATA_URL}">')
    assert page_images(data) == 1


@pytest.fixture
def secret_files(tmp_path):
    css = tmp_path / "leak.css"
    css.write_text(f'body::after {{ content: "{SECRET}"; }}')
    txt = tmp_path / "secret.txt"
    txt.write_text(SECRET)
    return css.as_uri(), txt.as_uri()


def file_references(css_url: str, txt_url: str) -> str:
    return (
        f'<link rel="stylesheet" href="{css_url}">'
        f'<style>@import url("{css_url}");</style>'
        f'<p>本文</p><a rel="attachment" href="{txt_url}">添付</a>'
        f'<object data="{txt_url}" type="text/plain"></object>'
    )


def test_file_urls_are_not_read(secret_files, tmp_path, caplog):
    html = file_references(*secret_files)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.html_to_pdf(html)
    assert SECRET not in pdftotext(data, tmp_path)
    assert SECRET.encode() not in data
    assert b"/EmbeddedFile" not in data
    assert any("BlockedUrl" in r.getMessage() for r in caplog.records)


def test_file_urls_control_default_fetcher_leaks(secret_files, tmp_path):
    data = bare_weasyprint(file_references(*secret_files))
    assert SECRET in pdftotext(data, tmp_path)
    assert b"/EmbeddedFile" in data


def test_data_stylesheet_cannot_import_a_file(secret_files, tmp_path):
    css_url, _ = secret_files
    html = f'<link rel="stylesheet" href="data:text/css,@import url(&quot;{css_url}&quot;);"><p>本文</p>'
    assert SECRET not in pdftotext(pdf.html_to_pdf(html), tmp_path)
    assert SECRET in pdftotext(bare_weasyprint(html), tmp_path)  # control


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.paths.append(self.path)
        body = f'body::after {{ content: "{SECRET}"; }}'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def network_references(base: str) -> str:
    return (
        f'<link rel="stylesheet" href="{base}/link.css">'
        f'<style>@import url("{base}/import.css");'
        f'@font-face {{ font-family: X; src: url("{base}/font.woff"); }}'
        f'p {{ background: url("{base}/bg.png"); font-family: X, IPAexGothic; }}</style>'
        f'<p>本文</p><img src="{base}/img.png"><a rel="attachment" href="{base}/att.txt">添付</a>'
        f'<svg width="10" height="10"><image href="{base}/svg.png"/></svg>'
    )


def test_network_is_never_called(http_server, tmp_path):
    base = f"http://127.0.0.1:{http_server.server_port}"
    data = pdf.html_to_pdf(network_references(base))
    assert http_server.paths == []
    assert SECRET not in pdftotext(data, tmp_path)


def test_network_control_default_fetcher_calls_out(http_server, tmp_path):
    base = f"http://127.0.0.1:{http_server.server_port}"
    data = bare_weasyprint(network_references(base))
    assert {"/link.css", "/import.css", "/img.png", "/att.txt"} <= set(http_server.paths)
    assert SECRET in pdftotext(data, tmp_path)


# -- Bounded in time -----------------------------------------------------------------------

# Where the first timer signal lands in a `__del__`, Python reports it as unraisable and the
# renderer's repeating timer stops the render on the next tick: expected here.
swallowed_signal = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning")


def _marker_handler(signum, frame):
    raise AssertionError("the renderer's timer leaked into the caller")


@pytest.fixture
def own_alarm_handler():
    """A SIGALRM handler of the caller's, which the renderer must put back."""
    previous = signal.signal(signal.SIGALRM, _marker_handler)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@swallowed_signal
def test_slow_render_times_out_and_cleans_up(own_alarm_handler):
    started = time.monotonic()
    with pytest.raises(pdf.PdfRenderTimeout, match="longer than 0.05 s"):
        pdf.html_to_pdf(heavy_html(), timeout=0.05)
    assert time.monotonic() - started < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is _marker_handler
    # The next render is not hit by a stale timer.
    assert pdf.html_to_pdf("<p>次の描画</p>", timeout=5).startswith(b"%PDF-")
    assert signal.getsignal(signal.SIGALRM) is _marker_handler


@swallowed_signal
def test_timeout_comes_from_settings(settings):
    settings.PDF_RENDER_TIMEOUT = 0.05
    with pytest.raises(pdf.PdfRenderTimeout):
        pdf.render_pdf("pdf/sample.html", {**SAMPLE, "body": heavy_html()})


def test_timeout_is_a_pdf_error():
    assert issubclass(pdf.PdfRenderTimeout, pdf.PdfError)
    assert issubclass(pdf.BlockedUrl, pdf.PdfError)


@swallowed_signal
def test_timeout_swallowed_by_weasyprint_still_stops_the_render(monkeypatch, caplog):
    """WeasyPrint catches `Exception` around resource loading: a timeout signal that lands
    there is logged and swallowed, and the render goes on. The timer fires again until the
    render stops, and the result is an error, never a PDF delivered after the limit."""
    fetcher_class = pdf._locked_fetcher_class()
    original = fetcher_class.fetch

    def slow_fetch(self, url, headers=None):
        time.sleep(0.5)  # a slow resource; the timer's exception is raised in here
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_class, "fetch", slow_fetch)
    images = "".join(f'<img src="{PNG_DATA_URL}#{n}">' for n in range(8))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="weasyprint"), \
            pytest.raises(pdf.PdfRenderTimeout):
        pdf.html_to_pdf(f"<p>画像</p>{images}", timeout=0.1)
    # A single signal would leave 7 more images of 0.5 s each to load (3.5 s and more).
    assert time.monotonic() - started < 2.0
    assert any("PdfRenderTimeout" in r.getMessage() for r in caplog.records)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_zero_timeout_sets_no_timer():
    before = signal.getsignal(signal.SIGALRM)
    assert pdf.html_to_pdf("<p>制限なし</p>", timeout=0).startswith(b"%PDF-")
    assert signal.getsignal(signal.SIGALRM) is before


def test_render_off_the_main_thread_works_without_a_bound():
    """Signals only work in the main thread: elsewhere the render runs unbounded (documented
    in handson.pdf) rather than failing."""
    results = []
    thread = threading.Thread(
        target=lambda: results.append(pdf.html_to_pdf("<p>別スレッド</p>", timeout=0.001)))
    thread.start()
    thread.join(timeout=60)
    assert len(results) == 1 and results[0].startswith(b"%PDF-")
