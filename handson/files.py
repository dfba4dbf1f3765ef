"""Private file storage and the permission-checked download response.

Files are stored under generated names (never the uploader's name, which is kept as data
only) in the "private" storage: a local directory by default, a private S3 bucket in
production. They are streamed through Django after an object-level permission check, as
attachments with an RFC 6266 file name, never rendered inline.
"""

import re
import unicodedata
import uuid

from django.core.files.storage import storages
from django.http import FileResponse
from django.utils import timezone

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]')


def private_storage():
    """The storage of private documents (a callable, so settings decide at run time)."""
    return storages["private"]


def generated_name(prefix: str, extension: str = "pdf") -> str:
    """`<prefix>/<yyyy>/<mm>/<uuid>.<ext>`: unguessable, never colliding, no user input."""
    now = timezone.now()
    return f"{prefix}/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def safe_download_name(name: str, max_length: int = 150) -> str:
    """A display name safe in Content-Disposition: no separators, controls or bidi marks."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 5:
        return stem[: max_length - len(ext) - 1] + "." + ext
    return cleaned[:max_length] or "download"


def attachment_response(fieldfile, download_name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=safe_download_name(download_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
