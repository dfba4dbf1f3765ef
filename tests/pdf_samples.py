"""Sample files for upload tests (quality.md "Uploads"; rules DOCS-FS, DOCS-PRODUCT).

Everything is built in memory, deterministically, in milliseconds. Reuse them in form and
view tests:

    valid_pdf(pages=3)                 a clean PDF written by pypdf
    pdf_of_size(10 * 1024 * 1024)      a valid one-page PDF of exactly that many bytes
    encrypted_pdf()                    RC4 password-protected (pypdf writer.encrypt)
    aes_encrypted_pdf()                an /Encrypt (AES-256, V5/R6) trailer pypdf cannot open here
    pdf_with("JavaScript")             a PDF whose only risky part is that name (see ACTIVE)
    bomb_pdf()                         a nested FlateDecode bomb (1 GiB of zeros, ~2 KB on disk)
    truncated_pdf(), corrupt_pdf()     broken PDFs
    png_bytes(), exe_bytes(), html_bytes(), zip_bytes()   other formats, to rename ".pdf"
    uploaded(data, name=..., content_type=...)            a SimpleUploadedFile

`build_pdf()` writes a PDF from raw object bodies with a correct cross-reference table (or a
cross-reference stream plus an object stream when `object_stream=True`), so a test can put
exactly what it needs where it needs it.
"""

import io
import random
import zipfile
import zlib
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

PDF_CONTENT_TYPE = "application/pdf"


def uploaded(data: bytes, name: str = "決算報告書.pdf",
             content_type: str = PDF_CONTENT_TYPE) -> SimpleUploadedFile:
    """An in-memory upload, as a form would receive it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- PDFs written by pypdf --------------------------------------------------------------------

def valid_pdf(pages: int = 1) -> bytes:
    """A clean PDF with `pages` blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def encrypted_pdf(user_password: str = "secret", owner_password: str | None = None) -> bytes:
    """Password-protected (RC4-128, which pypdf can write without extra packages).

    `user_password=""` gives a PDF that opens without a password but is still encrypted
    (permissions only), which is also refused.
    """
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password=owner_password,
                   algorithm="RC4-128")
    return _written(writer)


def attachment_pdf() -> bytes:
    """A PDF with a file attached the usual way (pypdf add_attachment: /EmbeddedFiles)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really an exe")
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- PDFs written by hand ----------------------------------------------------------------------

CATALOG = 1
PAGES = 2
PAGE = 3


def stream(data: bytes, entries: bytes = b"") -> bytes:
    """The body of a stream object: `<< entries /Length n >> stream ... endstream`."""
    return (b"<< " + entries + b" /Length " + str(len(data)).encode() + b" >>\nstream\n"
            + data + b"\nendstream")


def build_pdf(objects: dict[int, bytes], *, root: int = CATALOG, trailer: bytes = b"",
              version: bytes = b"1.7", object_stream: bool = False,
              object_stream_filter: bytes = b"/FlateDecode",
              object_stream_data=None) -> bytes:
    """A PDF from `{number: body}` (bodies without `n 0 obj`/`endobj`).

    With `object_stream=True`, every body that is not a stream goes into one compressed
    object stream (/Type /ObjStm) indexed by a cross-reference stream, as PDF 1.5+ writers
    do; names inside it are then invisible in the raw bytes. `object_stream_data(plain)`
    may replace the compression (the bomb uses it).
    """
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    in_stream: dict[int, tuple[int, int]] = {}

    def write_object(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n")

    if not object_stream:
        for number in sorted(objects):
            write_object(number, objects[number])
        size = max(objects) + 1
        xref = len(out)
        out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            if number in offsets:
                out.extend(b"%010d 00000 n \n" % offsets[number])
            else:
                out.extend(b"0000000000 00000 f \n")
        out.extend(b"trailer\n<< /Size %d /Root %d 0 R " % (size, root) + trailer + b" >>\n")
        out.extend(b"startxref\n%d\n%%%%EOF\n" % xref)
        return bytes(out)

    plain = {n: body for n, body in objects.items() if b"\nstream\n" not in body}
    for number in sorted(set(objects) - set(plain)):
        write_object(number, objects[number])
    objstm_number = max(objects) + 1
    xref_number = objstm_number + 1
    header, content = [], b""
    for index, number in enumerate(sorted(plain)):
        header.append(b"%d %d" % (number, len(content)))
        in_stream[number] = (objstm_number, index)
        content += plain[number] + b"\n"
    first = b" ".join(header) + b"\n"
    decoded = first + content
    encoded = (object_stream_data(decoded) if object_stream_data
               else zlib.compress(decoded, 9))
    write_object(objstm_number, stream(
        encoded, b"/Type /ObjStm /N %d /First %d /Filter %s"
        % (len(plain), len(first), object_stream_filter)))
    offsets[xref_number] = len(out)
    size = xref_number + 1
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, size):
        if number in in_stream:
            container, index = in_stream[number]
            rows.extend(b"\x02" + container.to_bytes(4, "big") + index.to_bytes(2, "big"))
        elif number in offsets:
            rows.extend(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.extend(b"\x00\x00\x00\x00\x00\x00\x00")
    out.extend(b"%d 0 obj\n" % xref_number + stream(
        bytes(rows), b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R " % (size, root) + trailer)
        + b"\nendobj\n")
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return bytes(out)


def minimal_objects(*, catalog_extra: bytes = b"", page_extra: bytes = b"") -> dict[int, bytes]:
    return {
        CATALOG: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        PAGES: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
              + page_extra + b" >>",
    }


def pdf_of_size(size: int, *, seed: int = 0) -> bytes:
    """A valid one-page PDF of exactly `size` bytes.

    The bulk is an unreferenced stream of pseudo-random bytes (like an embedded scan), so
    raw-byte checks must skip stream data correctly to accept it.
    """
    filler = random.Random(seed).randbytes(size)

    def build(length: int) -> bytes:
        return build_pdf({**minimal_objects(), 4: stream(filler[:length])})

    length = 0
    for _ in range(8):
        current = len(build(length))
        if current == size:
            return build(length)
        length += size - current
        if length < 0:
            raise ValueError(f"a PDF cannot be smaller than {current - length} bytes here")
    raise AssertionError("pdf_of_size did not converge")  # pragma: no cover


# Names that make a PDF "active" (quality.md Uploads 4). Each entry puts the name where a
# real PDF would have it, with no other risky name beside it, so each name is tested alone.
ACTIVE = {
    # a JavaScript action's code, on a link annotation (the action type left out on purpose)
    "JS": {"page": b"/Annots [4 0 R]",
           4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
              b"/A << /JS (app.alert\\(1\\)) >> >>"},
    # the document-level JavaScript name tree
    "JavaScript": {"catalog": b"/Names << /JavaScript 4 0 R >>", 4: b"<< /Names [] >>"},
    # an action run when the document opens
    "OpenAction": {"catalog": b"/OpenAction << /S /URI /URI (https://example.com/track) >>"},
    # additional actions (page open)
    "AA": {"page": b"/AA 4 0 R",
           4: b"<< /O << /S /URI /URI (https://example.com/track) >> >>"},
    # a link that starts a program
    "Launch": {"page": b"/Annots [4 0 R]",
               4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                  b"/A << /S /Launch /F (calc.exe) >> >>"},
    # an embedded file stream
    "EmbeddedFile": {"catalog": b"/PieceInfo 4 0 R",
                     4: stream(b"MZ\x90\x00", b"/Type /EmbeddedFile")},
    # the document's attachment name tree
    "EmbeddedFiles": {"catalog": b"/Names << /EmbeddedFiles 4 0 R >>", 4: b"<< /Names [] >>"},
    # the JavaScript name tree, its name hex-escaped (#61 = "a")
    "J#61vaScript": {"catalog": b"/Names << /J#61vaScript 4 0 R >>", 4: b"<< /Names [] >>"},
    # a launch action with the name escaped twice over
    "L#61#75nch": {"page": b"/Annots [4 0 R]",
                   4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                      b"/A << /S /L#61#75nch /F (calc.exe) >> >>"},
}


def pdf_with(name: str, *, reachable: bool = True, object_stream: bool = False) -> bytes:
    """A one-page PDF carrying the active-content name `name` (a key of ACTIVE).

    reachable=False: the risky entries sit in an object that nothing refers to (only a scan
    of the raw bytes can see them). object_stream=True: everything but streams is
    compressed in an object stream (only a parse of the object tree can see it).
    """
    spec = ACTIVE[name]
    entries = spec.get("catalog", b"") + b" " + spec.get("page", b"")
    if reachable:
        objects = minimal_objects(catalog_extra=spec.get("catalog", b""),
                                  page_extra=spec.get("page", b""))
    else:
        objects = minimal_objects() | {9: b"<< " + entries + b" >>"}
    objects.update({k: v for k, v in spec.items() if isinstance(k, int)})
    return build_pdf(objects, object_stream=object_stream)


def open_action_destination_pdf() -> bytes:
    """`/OpenAction [page /Fit]`: an initial view (as LibreOffice writes), not an action."""
    return build_pdf(minimal_objects(catalog_extra=b"/OpenAction [3 0 R /Fit]"))


def uri_link_pdf() -> bytes:
    """A catalogue with an ordinary web link (DOCS-PRODUCT): allowed."""
    return build_pdf(minimal_objects(page_extra=b"/Annots [4 0 R]") | {
        4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
           b"/A << /S /URI /URI (https://example.com/product) >> >>"})


def aes_encrypted_pdf() -> bytes:
    """A trailer with an AES-256 /Encrypt dictionary (pypdf needs `cryptography` for it)."""
    encrypt = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -3904 "
               b"/O <" + b"00" * 48 + b"> /U <" + b"00" * 48 + b"> "
               b"/OE <" + b"00" * 32 + b"> /UE <" + b"00" * 32 + b"> /Perms <" + b"00" * 16
               + b"> /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> "
               b"/StmF /StdCF /StrF /StdCF >>")
    return build_pdf(minimal_objects() | {4: encrypt},
                     trailer=b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> "
                             b"<00112233445566778899aabbccddeeff>]")


def no_pages_pdf() -> bytes:
    return build_pdf({CATALOG: b"<< /Type /Catalog /Pages 2 0 R >>",
                      PAGES: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def truncated_pdf(pages: int = 3) -> bytes:
    """A valid PDF cut in half (an interrupted download)."""
    data = valid_pdf(pages)
    return data[: len(data) // 2]


def corrupt_pdf() -> bytes:
    """A PDF header and end marker around garbage (a damaged file)."""
    garbage = random.Random(1).randbytes(4096).replace(b"%%EOF", b"xxxxx")
    return b"%PDF-1.7\n" + garbage + b"\nstartxref\n9\n%%EOF\n"


# --- decompression bombs -----------------------------------------------------------------------

def _zeros_deflate(prefix: bytes, zeros: int, block: int = 1 << 20) -> bytes:
    """zlib data of `prefix + b"\\0" * zeros` without compressing gigabytes.

    After a full flush the compressor starts from scratch, so every 1 MiB block of zeros
    compresses to the same bytes: compress it once and repeat it. The Adler-32 of appended
    zeros is computed directly (a stays, b grows by a per byte).
    """
    assert zeros % block == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    adler = zlib.adler32(prefix)
    a, b = adler & 0xFFFF, adler >> 16
    b = (b + zeros * a) % 65521
    return (b"\x78\xda" + head + chunk * (zeros // block) + tail
            + ((b << 16) | a).to_bytes(4, "big"))


@lru_cache(maxsize=8)
def bomb_pdf(where: str = "content", *, decompressed: int = 1 << 30, nesting: int = 2) -> bytes:
    """A PDF with a FlateDecode bomb: `decompressed` bytes of zeros, compressed `nesting` times.

    where="content": the page's content stream (a viewer inflates it to draw the page).
    where="object_stream": the object stream holding the catalog and pages (a parser must
    inflate it just to find the pages).
    """
    filters = b"[" + b" ".join([b"/FlateDecode"] * nesting) + b"]"

    def nest(plain: bytes) -> bytes:
        data = _zeros_deflate(plain, decompressed)
        for _ in range(nesting - 1):
            data = zlib.compress(data, 9)
        return data

    if where == "content":
        objects = minimal_objects(page_extra=b"/Contents 4 0 R")
        objects[4] = stream(nest(b"0 0 m 10 10 l S\n"), b"/Filter " + filters)
        return build_pdf(objects)
    if where == "object_stream":
        return build_pdf(minimal_objects(), object_stream=True, object_stream_filter=filters,
                         object_stream_data=nest)
    raise ValueError(where)


# --- other formats renamed ".pdf" --------------------------------------------------------------

def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("0000000100000001080200000"
                                                                  "0"))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header, DOS stub text)."""
    return (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44)
            + b"\x80\x00\x00\x00" + b"This program cannot be run in DOS mode.\r\r\n$" + bytes(64))


def html_bytes() -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
            "<title>決算報告書</title></head><body><script>alert(1)</script></body></html>\n"
            ).encode()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("決算報告書.txt", "貸借対照表\n損益計算書\n")
    return out.getvalue()


def zip_pdf_polyglot() -> bytes:
    """A ZIP whose first member is a stored PDF: `%PDF-` sits within the first 1024 bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", valid_pdf())
    return out.getvalue()


def html_pdf_polyglot() -> bytes:
    """HTML that a browser would render, with a PDF right after it."""
    return b"<html><script>alert(1)</script><!--\n" + valid_pdf() + b"-->"
