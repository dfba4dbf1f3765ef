"""A 10 MB PDF upload, validated and stored, against "copying 10 MB + one pypdf parse".

The figure is `applications.services.documents.document_upload` (check_pdf: size, signature,
SHA-256, the raw-byte scan, pypdf parse and object walk; then the private storage, the row,
the audit entry) on a valid PDF of exactly 10,485,760 bytes (tests/pdf_samples.pdf_of_size),
handed over as Django's upload handler hands it over: a TemporaryUploadedFile (10 MB is
above FILE_UPLOAD_MAX_MEMORY_SIZE). Each sample uploads into an empty slot of its own
application. Parsing the multipart body is Django's and not measured.

The floor copies the same bytes from one file to another through Python (1 MiB at a time)
and parses them once with pypdf (`len(PdfReader(path).pages)`).

`upload.memory`: the peak of Python allocations (tracemalloc) during one upload, beside the
floor's, budget < 30 MB.
"""

import shutil
from contextlib import contextmanager

from benchmarks import _support, harness

SIZE = 10 * 1024 * 1024
COPY_CHUNK = 1024 * 1024
PREFIX = "bench-upload"
MB = 1024 * 1024


def _sample_pdf() -> bytes:
    try:
        from tests.pdf_samples import pdf_of_size
    except ImportError as exc:
        raise harness.Unavailable(f"tests/pdf_samples.py: {exc}") from exc
    return pdf_of_size(SIZE)


def _applications(count: int):
    """`count` applications of the open call awaiting documents (created once, reused)."""
    from applications.enums import ApplicationStatus, ProjectType
    from applications.models import Application, Company

    call = _support.open_call()
    users = _support.applicant_users(PREFIX, count)
    have = {a.applicant_id: a for a in Application.objects.filter(call=call, applicant__in=users)}
    for n, user in enumerate(users):
        if user.pk not in have:
            have[user.pk] = Application.objects.create(
                call=call, company=Company.objects.create(**_support.company_fields(80_000 + n)),
                applicant=user, status=ApplicationStatus.AWAITING_DOCUMENTS,
                contact_name="佐藤 花子", contact_email=f"{user.username}@example.jp",
                contact_phone="03-3582-8333", project_type=ProjectType.EXPORT,
                target_countries=["US"], product_name="精密加工部品")
    return [have[user.pk] for user in users]


def _forget_documents(applications) -> None:
    """Delete what the case uploaded (rows and stored files), so every run starts empty."""
    from applications.models import Document
    from applications.services.documents import document_storage

    storage = document_storage()
    for document in Document.objects.filter(application__in=applications):
        if document.file.name:
            storage.delete(document.file.name)
        document.delete()


def _temporary_upload(data: bytes):
    """What MultiPartParser gives the view for a 10 MB file: a TemporaryUploadedFile."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("2025年度決算報告書.pdf", "application/pdf", len(data), None)
    view = memoryview(data)
    for start in range(0, len(data), 64 * 1024):  # the handler's chunk size
        upload.write(view[start:start + 64 * 1024])
    upload.flush()
    upload.seek(0)
    return upload


@contextmanager
def _setup(count: int):
    """(upload(), floor(), uploads made) with `count` prepared uploads; cleans up after."""
    _support.require_bench_database()
    from django.conf import settings
    from pypdf import PdfReader

    from applications.enums import DocumentKind
    from applications.fiscal_years import offered_fiscal_years
    from applications.services.documents import document_upload

    data = _sample_pdf()
    source = settings.BENCH_DIR / "upload-source.pdf"
    copy = settings.BENCH_DIR / "upload-floor-copy.pdf"
    source.write_bytes(data)
    applications = _applications(count)
    _forget_documents(applications)
    year = offered_fiscal_years(applications[0].call)[0]
    pending = [(application, _temporary_upload(data)) for application in applications]
    done = []

    def upload() -> None:
        application, file = pending[len(done)]
        done.append(document_upload(application=application,
                                    kind=DocumentKind.FINANCIAL_STATEMENT, fiscal_year=year,
                                    file=file, actor=application.applicant))

    def floor() -> None:
        with open(source, "rb") as src, open(copy, "wb") as dst:
            shutil.copyfileobj(src, dst, COPY_CHUNK)
        if len(PdfReader(copy).pages) != 1:
            raise harness.Unavailable("the floor's PDF did not parse as one page")

    try:
        yield upload, floor, done
    finally:
        for _application, file in pending:
            file.close()
        _forget_documents(applications)
        source.unlink(missing_ok=True)
        copy.unlink(missing_ok=True)


def _check(done) -> str:
    document = done[-1]
    if document.size_bytes != SIZE or document.page_count != 1:
        raise harness.Unavailable(f"stored {document.size_bytes} bytes, "
                                  f"{document.page_count} page(s)")
    return _support.database_label()


@harness.case("upload.pdf_10mb", "a 10 MB PDF upload checked and stored (document_upload) vs "
              "copying 10 MB + one pypdf parse")
def upload_time(repeat: int) -> harness.Result:
    from applications.services.document_checks import DocumentRejected

    warmup = 2
    with _setup(repeat + warmup) as (upload, floor, done):
        try:
            target, base = harness.paired_samples(upload, floor, repeat=repeat, warmup=warmup)
        except DocumentRejected as exc:
            raise harness.Unavailable(f"the sample PDF was refused: {exc!r}") from exc
        where = _check(done)
    return harness.Result(
        figure=harness.median(target), floor=harness.median(base),
        budget=harness.Budget(max_ratio=2.0),
        notes=[f"median of {repeat}; p95 {harness.fmt(harness.p95(target), 's')} vs "
               f"{harness.fmt(harness.p95(base), 's')}; {SIZE:,} bytes, 1 page, "
               f"TemporaryUploadedFile, {where}"],
    )


def _peak_growth(fn) -> float:
    """MB: the peak of traced Python allocations while `fn` runs, above where it started."""
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _peak = tracemalloc.get_traced_memory()
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / MB


@harness.case("upload.memory", "peak memory growth (tracemalloc) of one 10 MB PDF upload vs "
              "copying 10 MB + one pypdf parse")
def upload_memory(repeat: int) -> harness.Result:
    rounds = 3
    with _setup(rounds + 1) as (upload, floor, done):
        upload()  # warm: imports, caches, the first connection
        floor()
        target = [_peak_growth(upload) for _ in range(rounds)]
        base = [_peak_growth(floor) for _ in range(rounds)]
        _check(done)
    return harness.Result(
        figure=round(max(target), 1), floor=round(max(base), 1), unit="MB",
        budget=harness.Budget(max_value=30),
        notes=[f"largest of {rounds} uploads (Python allocations only: tracemalloc); "
               f"{SIZE / MB:g} MB file"],
    )
