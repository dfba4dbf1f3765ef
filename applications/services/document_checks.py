"""The server's verdict on an uploaded document (rules DOCS-FS, DOCS-PRODUCT; quality.md "Uploads").

`check_pdf(file)` either returns the facts the Document row keeps (pages, size, SHA-256) or
raises `DocumentRejected` with a code and a polite Japanese message for the applicant. The
name and Content-Type the browser sent play no part: only the bytes decide.

Checks, in order (the first that fails decides the message):

1. size ≤ DOCUMENT_MAX_BYTES (10,485,760 bytes accepted, one more refused)   `too_large`
2. not empty                                                                  `empty`
3. `%PDF-n.n` within the first 1024 bytes, with no other format's signature
   (ZIP, PNG, EXE, HTML…) in front of it, so polyglots are refused           `not_pdf`
4. `%%EOF` within the last 1024 bytes (an interrupted download loses it)     `truncated`
5. pypdf parses it (any error → a message, never a 500)                       `corrupt`
6. not encrypted, not even with an empty user password                        `encrypted`
7. at least one page                                                          `no_pages`
8. no JavaScript, actions, launches or attachments, found twice over:
   - in the parsed object tree (every object reachable from the trailer, including those
     packed in compressed object streams; pypdf decodes `#xx` escapes in names), and
   - in the raw bytes outside stream data, with `#xx` escapes decoded, so an object that
     no reference reaches (or that pypdf would read differently) is caught too   `active_content`
9. bounded work, bounded memory (decompression bombs)                          `too_complex`
   - what pypdf must inflate to parse (cross-reference and object streams) is capped at
     STRUCTURE_INFLATE_LIMIT bytes (pypdf's own limits, lowered in `bounded_pypdf()`);
   - a stream compressed twice over (nested FlateDecode) is refused without inflating it;
   - other Flate streams but images (page contents, forms, fonts) are only *measured*:
     inflated 1 MiB at a time with the output dropped, stopping at STREAM_INFLATE_LIMIT per
     stream / FILE_INFLATE_BUDGET per file (worst case well under a second of CPU);
   - the object walk stops after MAX_OBJECTS containers.

Nothing is extracted (no text, no images), so no stream is ever held inflated in memory.
Code that inflates stored PDFs later should do it inside `bounded_pypdf()`.

`/OpenAction` whose value is a destination (`[page /Fit]`, as LibreOffice and others write)
only sets the first view and is accepted; an `/OpenAction` action dictionary is refused.
Ordinary `/URI` links (a product catalogue, DOCS-PRODUCT) are accepted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration, filters
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

MIB = 1024 * 1024
READ_CHUNK = MIB
HEADER_WINDOW = 1024  # `%PDF-` must start within the first 1024 bytes (as Acrobat allows)
TRAILER_WINDOW = 1024  # `%%EOF` must be within the last 1024 bytes
STRUCTURE_INFLATE_LIMIT = 8 * MIB  # one xref/object stream, inflated
MAX_OBJECTS = 500_000  # containers visited in the object tree (a 10 MB file has far fewer)
# Page contents, forms and fonts compressed with Flate are inflated (output dropped, 1 MiB
# at a time) only to measure them. In real documents they are small (a 100-page text PDF:
# a few MB; a full CJK font: ~20 MB), so past these limits it is a bomb, not a document.
# Images are not measured: they are the bulk of a scan, and their decoded size is fixed
# by their declared /Width and /Height, whatever the compressed data says.
STREAM_INFLATE_LIMIT = 64 * MIB  # one stream
FILE_INFLATE_BUDGET = 256 * MIB  # all measured streams of one file together
INFLATE_STEP = MIB

# Names whose presence makes a PDF active (quality.md Uploads 4), as keys or values:
# JavaScript (/JS, /JavaScript), actions run without a click (/OpenAction, /AA), programs
# (/Launch), attachments (/EmbeddedFile(s), /EF, /FileAttachment), and the other ways a
# reader is made to run, fetch or send something (/RichMedia, /XFA, /SubmitForm,
# /ImportData, /GoToE, /GoToR).
ACTIVE_NAMES = frozenset({
    "JS", "JavaScript", "AA", "OpenAction", "Launch", "EmbeddedFile", "EmbeddedFiles", "EF",
    "FileAttachment", "RichMedia", "XFA", "SubmitForm", "ImportData", "GoToE", "GoToR",
})
_DECOMPRESSING_FILTERS = frozenset({"/FlateDecode", "/Fl", "/LZWDecode", "/LZW",
                                    "/RunLengthDecode", "/RL", "/BrotliDecode"})
_FLATE = frozenset({"/FlateDecode", "/Fl"})
_ASCII_FILTERS = {  # size-reducing text encodings that may wrap a Flate stream
    "/ASCIIHexDecode": filters.ASCIIHexDecode.decode, "/AHx": filters.ASCIIHexDecode.decode,
    "/ASCII85Decode": filters.ASCII85Decode.decode, "/A85": filters.ASCII85Decode.decode,
}

_DELIMS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
# A name token in the raw bytes that is either risky as written or hex-escaped (#xx).
_RAW_NAME = re.compile(
    rb"/(?:(" + b"|".join(n.encode() for n in sorted(ACTIVE_NAMES | {"Encrypt"})) + rb")"
    rb"(?=[" + _DELIMS + rb"]|$)|([^" + _DELIMS + rb"]*#[^" + _DELIMS + rb"]*))"
)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb">>[\x00\t\n\x0c\r ]*stream(?:\r\n|\n|\r)")
_AFTER_NAME = re.compile(rb"[\x00\t\n\x0c\r ]*<<")
_HEADER = re.compile(rb"%PDF-\d\.\d")
# Signatures of other formats: a file that is also a ZIP, an image, a program or a web page
# in front of its `%PDF-` is a polyglot, refused even though a PDF parser would accept it.
_FOREIGN = re.compile(
    rb"\A(?:PK\x03\x04|PK\x05\x06|\x89PNG|GIF8|\xff\xd8\xff|MZ|\x7fELF|\xd0\xcf\x11\xe0"
    rb"|Rar!|7z\xbc\xaf|%!PS)"
    rb"|<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta)",
    re.IGNORECASE,
)


class DocumentRejected(Exception):
    """An upload the program cannot accept; `message` is shown to the applicant as is.

    `detail` is for logs and staff only (e.g. which risky name was found), never shown.
    """

    def __init__(self, code: str, message: str, detail: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DocumentRejected(code={self.code!r}, detail={self.detail!r})"


@dataclass(frozen=True)
class PdfFacts:
    page_count: int
    size_bytes: int
    sha256: str


@contextlib.contextmanager
def bounded_pypdf():
    """pypdf limits for untrusted files: any stream pypdf inflates stays small.

    A context variable (pypdf 7 `apply_configuration`), so other threads and requests
    keep their own settings.
    """
    with apply_configuration(
        zlib_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        lzw_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        run_length_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        brotli_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        jbig2_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        array_based_stream_maximum_output_length=STRUCTURE_INFLATE_LIMIT,
        image_maximum_buffer_size=STRUCTURE_INFLATE_LIMIT,
        stream_decoding_work_maximum_length=4 * STRUCTURE_INFLATE_LIMIT,
        zlib_maximum_recovery_input_length=STRUCTURE_INFLATE_LIMIT,
        xmp_maximum_input_length=MIB,
    ) as configuration:
        yield configuration


def check_pdf(file, *, max_bytes: int | None = None) -> PdfFacts:
    """Accept the upload as a safe, readable PDF, or raise DocumentRejected.

    `file`: a Django UploadedFile or any binary file object with .read/.seek (.size is
    used when present). `max_bytes` defaults to settings.DOCUMENT_MAX_BYTES, read at call
    time. The file position is back at 0 afterwards, whatever happens.
    """
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        data, sha256 = _read(file, limit)
        if not data:
            raise DocumentRejected("empty", _(
                "ファイルが空です（0バイト）。内容の入ったPDFを選び直して、もう一度お送りください。"))
        _check_signature(data)
        if data.rfind(b"%%EOF", max(0, len(data) - TRAILER_WINDOW)) < 0:
            raise _truncated()
        raw_names = _raw_names(data)
        file.seek(0)
        page_count = _parse(file, encrypted_hint="Encrypt" in raw_names)
        risky = sorted(raw_names - {"Encrypt"})
        if risky:
            raise _active(", ".join(risky))
        return PdfFacts(page_count=page_count, size_bytes=len(data), sha256=sha256)
    finally:
        file.seek(0)


# --- reading --------------------------------------------------------------------------------

def _read(file, limit: int) -> tuple[bytearray, str]:
    """The bytes (at most `limit`, whatever .size claims) and their SHA-256, in one pass.

    One copy in memory: the raw scan reads this buffer, pypdf reads the file itself.
    """
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(declared, limit)
    file.seek(0)
    digest = hashlib.sha256()
    data = bytearray()
    while chunk := file.read(READ_CHUNK):
        if len(data) + len(chunk) > limit:
            raise _too_large(_true_size(file, len(data) + len(chunk)), limit)
        digest.update(chunk)
        data += chunk
    return data, digest.hexdigest()


def _true_size(file, read_so_far: int) -> int:
    try:
        return max(file.seek(0, io.SEEK_END), read_so_far)
    except (OSError, ValueError, AttributeError):
        return read_so_far


def _check_signature(data: bytearray) -> None:
    match = _HEADER.search(data, 0, HEADER_WINDOW + 7)
    if match is None or match.start() >= HEADER_WINDOW or _FOREIGN.search(data[: match.start()]):
        raise DocumentRejected("not_pdf", _(
            "PDFファイルではないようです。ファイル名が「.pdf」で終わっていても、中身がPDFで"
            "なければ受け付けられません。PDF形式で保存し直してから、もう一度お送りください。"))


# --- the raw bytes ----------------------------------------------------------------------------

def _raw_names(data: bytearray) -> set[str]:
    """Risky names (and "Encrypt") written outside stream data, `#xx` escapes decoded."""
    found: set[str] = set()
    position = 0
    while position < len(data):
        start = _STREAM_START.search(data, position)
        end = start.end() if start else len(data)
        _names_between(data, position, start.start() if start else end, found)
        if start is None:
            break
        stream_end = data.find(b"endstream", end)
        position = len(data) if stream_end < 0 else stream_end + len(b"endstream")
    return found


def _names_between(data: bytearray, start: int, end: int, found: set[str]) -> None:
    for match in _RAW_NAME.finditer(data, start, end):
        plain, escaped = match.groups()
        raw = plain if plain is not None else _ESCAPE.sub(
            lambda m: bytes([int(m.group(1), 16)]), escaped)
        name = raw.decode("latin-1")
        if name not in ACTIVE_NAMES and name != "Encrypt":
            continue
        if name == "OpenAction" and not _AFTER_NAME.match(data, match.end()):
            continue  # a destination or a reference: judged on the parsed tree
        found.add(name)


# --- the parsed tree ------------------------------------------------------------------------

def _parse(file, *, encrypted_hint: bool) -> int:
    with bounded_pypdf():
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted:
                raise _encrypted()
            page_count = len(reader.pages)
        except DocumentRejected:
            raise
        except (LimitReachedError, RecursionError, MemoryError) as exc:
            raise _too_complex(repr(exc)) from exc
        except Exception as exc:  # pypdf raises many types on hostile input: never a 500
            if encrypted_hint:
                raise _encrypted() from exc
            raise _corrupt(repr(exc)) from exc
        if page_count < 1:
            raise DocumentRejected("no_pages", _(
                "PDFにページがありません。内容の入ったPDFを選び直して、もう一度お送りください。"))
        try:
            _walk(reader)
        except DocumentRejected:
            raise
        except (LimitReachedError, RecursionError, MemoryError) as exc:
            raise _too_complex(repr(exc)) from exc
        except Exception as exc:
            raise _corrupt(repr(exc)) from exc
    return page_count


def _walk(reader: PdfReader) -> None:
    """Visit every object reachable from the trailer; stream data is never inflated."""
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    budget = [FILE_INFLATE_BUDGET]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _too_complex(f"more than {MAX_OBJECTS} objects")
        if isinstance(node, DictionaryObject):  # a StreamObject too: its dictionary only
            if isinstance(node, StreamObject):
                _check_stream(node, budget)
            for key, value in dict.items(node):
                name = key[1:]
                if name == "OpenAction":
                    if isinstance(_resolved(value), DictionaryObject):
                        raise _active("OpenAction")
                elif name in ACTIVE_NAMES:
                    raise _active(name)
                _visit(value, stack)
        elif isinstance(node, ArrayObject):
            for item in list.__iter__(node):
                _visit(item, stack)


def _visit(value, stack: list) -> None:
    """Check a name value now; queue containers and references; ignore other scalars."""
    if isinstance(value, NameObject):
        if value[1:] in ACTIVE_NAMES and value != "/OpenAction":  # e.g. /S /JavaScript
            raise _active(value[1:])
    elif isinstance(value, (IndirectObject, DictionaryObject, ArrayObject)):
        stack.append(value)


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _filter_names(node: StreamObject) -> list[str]:
    filters = _resolved(dict.get(node, "/Filter"))  # may be indirect, as may its items
    if isinstance(filters, NameObject):
        return [str(filters)]
    if isinstance(filters, ArrayObject):
        return [str(_resolved(f)) for f in list.__iter__(filters)]
    return []


def _check_stream(node: StreamObject, budget: list[int]) -> None:
    """Refuse nested decompression; measure a Flate stream's size without keeping it.

    The stream is inflated 1 MiB at a time and the output dropped, so memory stays flat;
    inflating stops as soon as the stream passes STREAM_INFLATE_LIMIT or the whole file
    passes FILE_INFLATE_BUDGET (budget[0] holds what is left).
    """
    names = _filter_names(node)
    if sum(name in _DECOMPRESSING_FILTERS for name in names) > 1:
        raise _too_complex(f"nested filters {names}")
    if not any(name in _FLATE for name in names) or _resolved(
            dict.get(node, "/Subtype")) == "/Image":
        return
    data = getattr(node, "_data", b"")  # the raw (encoded) bytes pypdf read from the file
    for name in names:
        if name in _FLATE:
            break
        if name not in _ASCII_FILTERS:  # e.g. LZW before Flate was refused above
            return
        try:
            data = _ASCII_FILTERS[name](data)
        except Exception:
            return  # undecodable: a viewer cannot inflate it either
    inflater = zlib.decompressobj()
    produced = 0
    while data:
        try:
            produced += len(inflater.decompress(data, INFLATE_STEP))
        except zlib.error:
            break
        if produced > STREAM_INFLATE_LIMIT or produced > budget[0]:
            raise _too_complex(f"stream inflates past {produced} bytes")
        if inflater.eof:
            break
        data = inflater.unconsumed_tail
    budget[0] -= produced


# --- messages ---------------------------------------------------------------------------------

def _format_size(size: int, limit: int) -> str:
    shown = f"{size / MIB:.1f}MB"
    if limit % MIB or size < MIB or f"{limit / MIB:.1f}MB" == shown:
        return _("%(bytes)sバイト") % {"bytes": f"{size:,}"}  # not "10.0MB" for 10 MB + 1 byte
    return shown


def _format_limit(limit: int) -> str:
    if limit % MIB == 0:
        return f"{limit // MIB}MB"
    return _("%(bytes)sバイト") % {"bytes": f"{limit:,}"}


def _too_large(size: int, limit: int) -> DocumentRejected:
    values = {"limit": _format_limit(limit), "size": _format_size(size, limit)}
    return DocumentRejected("too_large", _(
        "ファイルのサイズが%(limit)sを超えています（%(size)s）。スキャンの解像度を下げるなどして"
        "%(limit)s以下のPDFにしてから、もう一度お送りください。") % values, detail=str(size))


def _truncated() -> DocumentRejected:
    return DocumentRejected("truncated", _(
        "ファイルが途中で切れているようです（ダウンロードやコピーが最後まで終わっていない可能性が"
        "あります）。元のPDFが最後のページまで開けることを確かめてから、もう一度お送りください。"))


def _corrupt(detail: str) -> DocumentRejected:
    return DocumentRejected("corrupt", _(
        "PDFファイルが壊れているため、読み取れませんでした。PDFを作成し直すか、印刷画面の"
        "「PDFとして保存」で保存し直してから、もう一度お送りください。"), detail=detail)


def _encrypted() -> DocumentRejected:
    return DocumentRejected("encrypted", _(
        "パスワードやセキュリティ（閲覧・印刷・編集の制限）が設定されたPDFは受け付けられません。"
        "パスワードと制限を解除したPDFを作成して、もう一度お送りください。"))


def _active(detail: str) -> DocumentRejected:
    return DocumentRejected("active_content", _(
        "安全のため、JavaScript・自動で動く処理・外部プログラムの起動・添付ファイルを含むPDFは"
        "受け付けられません。印刷画面の「PDFとして保存」などで、これらを含まないPDFを作成し直して"
        "から、もう一度お送りください。"), detail=detail)


def _too_complex(detail: str) -> DocumentRejected:
    return DocumentRejected("too_complex", _(
        "PDFの構造が複雑すぎるため、確認できませんでした。印刷画面の「PDFとして保存」などで"
        "PDFを作成し直してから、もう一度お送りください。"), detail=detail)
