"""check_pdf: the server's verdict on an uploaded document.

quality.md "Uploads" 1–5; rules DOCS-FS (決算報告書, one PDF per year, ≤ 10 MB) and
DOCS-PRODUCT (catalogue, one PDF ≤ 10 MB). No database needed.
"""

import base64
import hashlib
import io
import time
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from applications.services import document_checks
from applications.services.document_checks import (
    STREAM_INFLATE_LIMIT,
    DocumentRejected,
    PdfFacts,
    check_pdf,
)
from tests import pdf_samples as samples

TEN_MB = 10_485_760

MESSAGES = {
    "empty": "ファイルが空です（0バイト）。内容の入ったPDFを選び直して、もう一度お送りください。",
    "not_pdf": "PDFファイルではないようです。ファイル名が「.pdf」で終わっていても、中身がPDFで"
               "なければ受け付けられません。PDF形式で保存し直してから、もう一度お送りください。",
    "truncated": "ファイルが途中で切れているようです（ダウンロードやコピーが最後まで終わっていない"
                 "可能性があります）。元のPDFが最後のページまで開けることを確かめてから、もう一度"
                 "お送りください。",
    "corrupt": "PDFファイルが壊れているため、読み取れませんでした。PDFを作成し直すか、印刷画面の"
               "「PDFとして保存」で保存し直してから、もう一度お送りください。",
    "encrypted": "パスワードやセキュリティ（閲覧・印刷・編集の制限）が設定されたPDFは受け付けられ"
                 "ません。パスワードと制限を解除したPDFを作成して、もう一度お送りください。",
    "no_pages": "PDFにページがありません。内容の入ったPDFを選び直して、もう一度お送りください。",
    "active_content": "安全のため、JavaScript・自動で動く処理・外部プログラムの起動・添付ファイルを"
                      "含むPDFは受け付けられません。印刷画面の「PDFとして保存」などで、これらを"
                      "含まないPDFを作成し直してから、もう一度お送りください。",
    "too_complex": "PDFの構造が複雑すぎるため、確認できませんでした。印刷画面の「PDFとして保存」"
                   "などでPDFを作成し直してから、もう一度お送りください。",
}


def rejected(data: bytes, **kwargs) -> DocumentRejected:
    upload = samples.uploaded(data)
    with pytest.raises(DocumentRejected) as info:
        check_pdf(upload, **kwargs)
    assert upload.tell() == 0, "the file position is back at 0 after a refusal"
    return info.value


# --- accepted -----------------------------------------------------------------------------

def test_a_valid_multi_page_pdf_gives_its_exact_facts():
    data = samples.valid_pdf(pages=3)
    upload = samples.uploaded(data)
    upload.read(10)  # the form may have peeked: check_pdf starts from 0 anyway

    assert check_pdf(upload) == PdfFacts(page_count=3, size_bytes=len(data),
                                         sha256=hashlib.sha256(data).hexdigest())
    assert upload.tell() == 0
    assert upload.read() == data


def test_a_pdf_of_exactly_10_mb_is_accepted():  # Uploads 1, DOCS-FS / DOCS-PRODUCT
    data = samples.pdf_of_size(TEN_MB)
    assert len(data) == TEN_MB

    result = check_pdf(samples.uploaded(data))

    assert result == PdfFacts(page_count=1, size_bytes=TEN_MB,
                              sha256=hashlib.sha256(data).hexdigest())


def test_a_temporary_uploaded_file_from_disk_is_read_and_rewound(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = samples.valid_pdf(pages=2)
    upload = TemporaryUploadedFile("決算報告書.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    try:
        assert check_pdf(upload).page_count == 2
        assert upload.tell() == 0
    finally:
        upload.close()


def test_a_plain_binary_file_without_size_works():
    data = samples.valid_pdf(pages=2)
    assert check_pdf(io.BytesIO(data)) == PdfFacts(2, len(data), hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("make", [samples.open_action_destination_pdf, samples.uri_link_pdf],
                         ids=["openaction-destination", "uri-link"])
def test_initial_view_and_web_links_are_not_active_content(make):
    # /OpenAction [page /Fit] (LibreOffice writes it) only sets the first view; a catalogue
    # may link to the product's web page (DOCS-PRODUCT).
    assert check_pdf(samples.uploaded(make())).page_count == 1


def test_junk_before_the_header_is_allowed_within_1024_bytes():
    pdf = samples.valid_pdf()
    assert check_pdf(samples.uploaded(b"\n" * 1023 + pdf)).page_count == 1
    assert rejected(b"\n" * 1024 + pdf).code == "not_pdf"


def test_an_ascii85_wrapped_compressed_page_of_normal_size_is_accepted():
    drawing = b"0 0 m 100 100 l S\n" * 50_000  # 900 KB of drawing, compresses well
    objects = samples.minimal_objects(page_extra=b"/Contents 4 0 R")
    objects[4] = samples.stream(base64.a85encode(zlib.compress(drawing), adobe=True)[2:],
                                b"/Filter [/ASCII85Decode /FlateDecode]")
    assert check_pdf(samples.uploaded(samples.build_pdf(objects))).page_count == 1


# --- size ---------------------------------------------------------------------------------

def test_one_byte_more_than_10_mb_is_refused_naming_the_limit():  # Uploads 1
    error = rejected(samples.pdf_of_size(TEN_MB + 1))

    assert error.code == "too_large"
    assert error.message == (
        "ファイルのサイズが10MBを超えています（10,485,761バイト）。スキャンの解像度を下げるなど"
        "して10MB以下のPDFにしてから、もう一度お送りください。")
    assert str(error) == error.message


def test_a_larger_file_is_described_in_mb():
    error = rejected(samples.pdf_of_size(12_900_000))
    assert error.code == "too_large"
    assert error.message == (
        "ファイルのサイズが10MBを超えています（12.3MB）。スキャンの解像度を下げるなどして10MB"
        "以下のPDFにしてから、もう一度お送りください。")


def test_the_limit_comes_from_settings_at_call_time(settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    assert check_pdf(samples.uploaded(samples.pdf_of_size(1000))).size_bytes == 1000
    error = rejected(samples.pdf_of_size(1001))
    assert error.code == "too_large"
    assert "1,000バイトを超えています（1,001バイト）" in error.message


def test_max_bytes_argument_overrides_the_setting():
    assert rejected(samples.valid_pdf(), max_bytes=100).code == "too_large"


class LyingSize(io.BytesIO):
    size = 10  # what a broken client or wrapper might claim


def test_the_bytes_are_counted_whatever_size_the_file_claims():
    data = samples.pdf_of_size(2000)
    with pytest.raises(DocumentRejected) as info:
        check_pdf(LyingSize(data), max_bytes=1500)
    assert info.value.code == "too_large"
    assert "（2,000バイト）" in info.value.message


def test_a_zero_byte_file_is_refused():  # Uploads 3
    error = rejected(b"")
    assert (error.code, error.message) == ("empty", MESSAGES["empty"])


# --- content, not name ----------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    samples.png_bytes, samples.exe_bytes, samples.html_bytes, samples.zip_bytes,
    samples.zip_pdf_polyglot, samples.html_pdf_polyglot,
], ids=["png", "exe", "html", "zip", "zip-pdf-polyglot", "html-pdf-polyglot"])
def test_other_formats_renamed_pdf_are_refused(make):  # Uploads 2
    upload = samples.uploaded(make(), name="決算報告書.pdf", content_type="application/pdf")
    with pytest.raises(DocumentRejected) as info:
        check_pdf(upload)
    assert (info.value.code, info.value.message) == ("not_pdf", MESSAGES["not_pdf"])


# --- broken, locked, empty ----------------------------------------------------------------

@pytest.mark.parametrize("data", [
    samples.encrypted_pdf(),
    samples.encrypted_pdf(user_password=""),  # opens without a password, still restricted
    samples.aes_encrypted_pdf(),  # pypdf cannot even open it here (no `cryptography`)
], ids=["password", "permissions-only", "aes-256"])
def test_encrypted_pdfs_are_refused(data):  # Uploads 3
    error = rejected(data)
    assert (error.code, error.message) == ("encrypted", MESSAGES["encrypted"])


def test_a_pdf_cut_in_half_is_refused_as_truncated():  # Uploads 3
    error = rejected(samples.truncated_pdf())
    assert (error.code, error.message) == ("truncated", MESSAGES["truncated"])


def test_more_than_1024_bytes_after_the_end_marker_counts_as_truncated():
    assert rejected(samples.valid_pdf() + b"\n" * 1025).code == "truncated"
    assert check_pdf(samples.uploaded(samples.valid_pdf() + b"\n" * 1000)).page_count == 1


def test_garbage_after_the_header_is_refused_as_corrupt():  # Uploads 3
    error = rejected(samples.corrupt_pdf())
    assert (error.code, error.message) == ("corrupt", MESSAGES["corrupt"])


def test_a_pdf_without_pages_is_refused():  # Uploads 2
    error = rejected(samples.no_pages_pdf())
    assert (error.code, error.message) == ("no_pages", MESSAGES["no_pages"])


# --- active content -------------------------------------------------------------------------

DECODED = {"J#61vaScript": "JavaScript", "L#61#75nch": "Launch"}


@pytest.mark.parametrize("where", [
    {},  # where a reader finds it
    {"reachable": False},  # referenced from nowhere: caught in the raw bytes
    {"object_stream": True},  # compressed in an object stream: caught in the parsed tree
], ids=["reachable", "unreferenced", "in-object-stream"])
@pytest.mark.parametrize("name", list(samples.ACTIVE))
def test_javascript_actions_and_attachments_are_refused(name, where):  # Uploads 4
    error = rejected(samples.pdf_with(name, **where))
    assert (error.code, error.message) == ("active_content", MESSAGES["active_content"])
    assert error.detail == DECODED.get(name, name)


def test_a_file_attached_by_pypdf_is_refused():
    error = rejected(samples.attachment_pdf())
    assert error.code == "active_content"


def test_stream_data_is_not_mistaken_for_names():
    # Binary stream data often contains "/JS" or "/AA" by chance; only PDF syntax counts.
    data = b"\x00/JS /AA /JavaScript /Launch /OpenAction << >>\x00" * 100
    objects = samples.minimal_objects(page_extra=b"/Contents 4 0 R") | {
        4: samples.stream(data)}
    assert check_pdf(samples.uploaded(samples.build_pdf(objects))).page_count == 1


# --- decompression bombs ------------------------------------------------------------------

@pytest.mark.parametrize(("where", "nesting", "detail"), [
    ("content", 2, "nested filters ['/FlateDecode', '/FlateDecode']"),
    ("content", 1, None),
    ("object_stream", 2, "LimitReachedError"),
    ("object_stream", 1, "LimitReachedError"),
])
def test_a_flate_bomb_fails_fast_with_bounded_memory(where, nesting, detail):  # Uploads 5
    data = samples.bomb_pdf(where, nesting=nesting)  # 1 GiB of zeros inside
    assert len(data) < 1_100_000

    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = rejected(data)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (error.code, error.message) == ("too_complex", MESSAGES["too_complex"])
    if detail is None:  # measured, never kept: it stopped right after the per-stream limit
        inflated = int(error.detail.rsplit(" ", 2)[-2])
        assert STREAM_INFLATE_LIMIT < inflated <= STREAM_INFLATE_LIMIT + 1024 * 1024
    else:
        assert detail in error.detail
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert elapsed < 5, "a sanity bound, not a benchmark: inflating 1 GiB would take longer"


def test_an_ascii85_wrapped_bomb_is_measured_too(monkeypatch):
    monkeypatch.setattr(document_checks, "STREAM_INFLATE_LIMIT", 8 * 1024 * 1024)
    inner = samples._zeros_deflate(b"", 64 * 1024 * 1024)
    objects = samples.minimal_objects(page_extra=b"/Contents 4 0 R")
    objects[4] = samples.stream(base64.a85encode(inner, adobe=True)[2:],
                                b"/Filter [/ASCII85Decode /FlateDecode]")
    assert rejected(samples.build_pdf(objects)).code == "too_complex"


def test_many_streams_together_are_bounded_by_the_file_budget(monkeypatch):
    monkeypatch.setattr(document_checks, "FILE_INFLATE_BUDGET", 10 * 1024 * 1024)
    page = samples.stream(samples._zeros_deflate(b"", 4 * 1024 * 1024), b"/Filter /FlateDecode")
    objects = samples.minimal_objects(page_extra=b"/Contents [4 0 R 5 0 R 6 0 R]")
    objects.update({4: page, 5: page, 6: page})  # 12 MiB in all, each under the stream limit
    error = rejected(samples.build_pdf(objects))
    assert error.code == "too_complex"


def test_images_are_not_inflated():
    # A page-sized image of zeros: its decoded size is set by /Width and /Height, not by the
    # compressed data; measuring every scan would cost time for nothing.
    image = samples.stream(samples._zeros_deflate(b"", 96 * 1024 * 1024),
                           b"/Type /XObject /Subtype /Image /Width 8192 /Height 4096 "
                           b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode")
    objects = samples.minimal_objects(
        page_extra=b"/Resources << /XObject << /Im0 4 0 R >> >>") | {4: image}
    assert check_pdf(samples.uploaded(samples.build_pdf(objects))).page_count == 1


def test_a_nested_bomb_behind_an_indirect_filter_array_is_refused():
    data = zlib.compress(samples._zeros_deflate(b"", 256 * 1024 * 1024))
    objects = samples.minimal_objects(page_extra=b"/Contents 4 0 R")
    objects[4] = samples.stream(data, b"/Filter 5 0 R")
    objects[5] = b"[/FlateDecode /FlateDecode]"
    error = rejected(samples.build_pdf(objects))
    assert (error.code, error.detail) == (
        "too_complex", "nested filters ['/FlateDecode', '/FlateDecode']")
