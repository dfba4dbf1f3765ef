"""Cut an oversized upload off while it arrives (quality.md "Uploads" 1; DOCS-FS, DOCS-PRODUCT).

Django streams a multipart body through its upload handlers chunk by chunk (64 KiB). The
`LimitedUploadHandler` goes first and counts: as soon as one file passes
`DOCUMENT_MAX_BYTES + UPLOAD_SLACK_BYTES` (or all files of the request together pass
`max_total_bytes`), it raises `StopUpload(connection_reset=True)`. Django then closes (and
so deletes) the temporary file being written and stops reading the body: a 200 MB body
costs about 11 MB of reading, no temp file and no memory. Files up to the cap arrive whole,
so a file of 10–11 MB still gets `check_pdf`'s precise "too_large" message.

Use it on the one view that receives documents:

    from handson.uploads import (
        limit_upload_size, upload_cut_off_field, upload_cut_off_message, upload_was_cut_off)

    @limit_upload_size              # outermost: before anything reads request.POST
    @login_required
    def documents(request, ...):
        if upload_was_cut_off(request):
            # Fields sent before the file are in request.POST; request.FILES holds only
            # files that arrived whole. Save nothing: show the form again.
            form = DocumentForm(...)                       # unbound, or bound to POST
            form.add_error(upload_cut_off_field(request), upload_cut_off_message(request))
            return render(request, ..., {"form": form}, status=413)
        ...

For a class-based view: `path(..., limit_upload_size(DocumentView.as_view()))`.

CSRF: the middleware's check reads request.POST, which would parse the body before the
view could install the handler. So the decorated view is csrf_exempt for the middleware
and the same check runs inside, right after the handler is installed (the pattern of
Django's "Modifying upload handlers on the fly"). A cut-off request still passes the check
when the form's `{% csrf_token %}` comes before the file input (it is then parsed before the
cut); otherwise Django answers 403, as for any request without a token.

What the browser sees: the server answers at once but stops reading, so some browsers show
"connection reset" instead of the page. The form should therefore also check
`file.size` in the browser (`data-max-bytes`), and the front proxy should refuse bodies far
beyond the limit (nginx `client_max_body_size`). This handler is the server's guarantee.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

UPLOAD_SLACK_BYTES = 1024 * 1024  # above DOCUMENT_MAX_BYTES, so check_pdf can say "too large"
DEFAULT_MAX_FILES = 4  # 決算報告書 for 3 years (DOCS-FS) + the product PDF (DOCS-PRODUCT)
_CUT_OFF = "_handson_upload_cut_off"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def max_file_bytes() -> int:
    """The hard cap for one file: the document limit plus 1 MiB of slack."""
    return settings.DOCUMENT_MAX_BYTES + UPLOAD_SLACK_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Counts every file's bytes; stops the upload as soon as a cap is passed.

    It stores nothing itself: it passes each chunk on to the next handler (memory or
    temporary file) and must be first in `request.upload_handlers`.
    """

    def __init__(self, request=None, *, max_file_bytes: int | None = None,
                 max_total_bytes: int | None = None):
        super().__init__(request)
        # None: read the settings when the body is parsed (override_settings works).
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self.total = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.shown_limit = self.max_file_bytes or settings.DOCUMENT_MAX_BYTES
        if self.max_file_bytes is None:
            self.max_file_bytes = max_file_bytes()
        if self.max_total_bytes is None:
            self.max_total_bytes = self.max_file_bytes * DEFAULT_MAX_FILES
        return None  # not handled here: Django parses the body, calling us per chunk

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        file_bytes = start + len(raw_data)
        if file_bytes > self.max_file_bytes or self.total > self.max_total_bytes:
            if self.request is not None:
                setattr(self.request, _CUT_OFF, {
                    "field": self.field_name,
                    "reason": "file" if file_bytes > self.max_file_bytes else "total",
                    "limit": self.shown_limit,
                    "received": self.total,
                })
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler returns the file


def install_limited_upload_handler(request, **limits) -> LimitedUploadHandler:
    """Put a LimitedUploadHandler first for this request (before its body is read)."""
    if hasattr(request, "_files"):
        raise ImproperlyConfigured(
            "limit_upload_size: the request body was read before the view (a middleware or "
            "decorator touched request.POST/FILES); the upload handler cannot be installed.")
    handler = LimitedUploadHandler(request, **limits)
    request.upload_handlers = [handler, *request.upload_handlers]
    setattr(request, _CUT_OFF, None)
    return handler


def limit_upload_size(view=None, *, max_file_bytes: int | None = None,
                      max_total_bytes: int | None = None):
    """Decorator: this view's uploads are cut off at the cap; CSRF still checked.

    `@limit_upload_size` or `@limit_upload_size(max_total_bytes=...)`. Apply it outermost.
    """
    def decorate(view_func):
        protected = csrf_protect(view_func)

        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.method in _BODY_METHODS:
                install_limited_upload_handler(
                    request, max_file_bytes=max_file_bytes, max_total_bytes=max_total_bytes)
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorate(view) if view is not None else decorate


def upload_was_cut_off(request) -> bool:
    """True when LimitedUploadHandler stopped this request's upload (parse it first:
    touching request.POST or request.FILES is enough; the decorator's CSRF check does)."""
    return bool(getattr(request, _CUT_OFF, None))


def upload_cut_off_field(request) -> str | None:
    """The form field whose file was too large (to attach the message to), if any."""
    info = getattr(request, _CUT_OFF, None)
    return info["field"] if info else None


def upload_cut_off_message(request) -> str:
    """The message to show next to that field (or above the form)."""
    info = getattr(request, _CUT_OFF, None) or {}
    limit = _format_bytes(info.get("limit", settings.DOCUMENT_MAX_BYTES))
    if info.get("reason") == "total":
        return _(
            "一度に送信されたファイルの合計が大きすぎるため、受け取りを途中で止めました。"
            "ファイルを分けて、1つずつお送りください（1つのファイルは%(limit)sまでです）。"
        ) % {"limit": limit}
    return _(
        "ファイルのサイズが大きすぎるため、受け取りを途中で止めました。1つのファイルは"
        "%(limit)sまでです。%(limit)s以下のPDFにしてから、もう一度お送りください。"
    ) % {"limit": limit}


def _format_bytes(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib}MB" if size % mib == 0 else _("%(bytes)sバイト") % {"bytes": f"{size:,}"}
