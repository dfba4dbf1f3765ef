"""LimitedUploadHandler / limit_upload_size: oversized uploads are cut off while they arrive.

quality.md "Uploads" 1: a 200 MB body is cut off early, leaves no temp file, and the
worker's memory stays bounded. Three levels:

- the Django test client against a throwaway view, with a small DOCUMENT_MAX_BYTES;
- Django's WSGI handler fed a lazily generated 200 MB body (how much is read, memory);
- a real gunicorn worker sent 200 MB over a socket (the connection, the worker's RSS).
"""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory

from handson.uploads import (
    UPLOAD_SLACK_BYTES,
    limit_upload_size,
    max_file_bytes,
    upload_was_cut_off,
)
from tests import services

pytestmark = pytest.mark.urls("tests.handson.upload_urls")

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
SMALL_LIMIT = 64 * 1024  # DOCUMENT_MAX_BYTES in the client tests: cap = 64 KiB + 1 MiB
TOKEN = "A" * 32  # a CSRF secret (cookie) and the same unmasked token in the form
FILE_MESSAGE = ("ファイルのサイズが大きすぎるため、受け取りを途中で止めました。1つのファイルは"
                "{limit}までです。{limit}以下のPDFにしてから、もう一度お送りください。")
TOTAL_MESSAGE = ("一度に送信されたファイルの合計が大きすぎるため、受け取りを途中で止めました。"
                 "ファイルを分けて、1つずつお送りください（1つのファイルは{limit}までです）。")


@pytest.fixture
def small_limit(settings, tmp_path):
    settings.DOCUMENT_MAX_BYTES = SMALL_LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # bigger files go to temporary files...
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)  # ...here, where the test looks
    return tmp_path


def upload(name: str, size: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-" + b"x" * (size - 5), "application/pdf")


def post(client, url="/upload/", **files):
    data = {"csrfmiddlewaretoken": TOKEN, "company": "株式会社テスト", **files}
    client.cookies["csrftoken"] = TOKEN
    response = client.post(url, data)
    return response, json.loads(response.content) if response.status_code != 403 else None


# --- the test client, small cap -------------------------------------------------------------

def test_a_file_at_the_cap_arrives_whole(small_limit):
    cap = SMALL_LIMIT + UPLOAD_SLACK_BYTES
    response, body = post(Client(enforce_csrf_checks=True), document=upload("a.pdf", cap))

    assert response.status_code == 200
    assert body == {"cut_off": False, "field": None, "message": "",
                    "post": {"company": ["株式会社テスト"]}, "files": {"document": [cap]}}
    assert list(small_limit.iterdir()) == []  # the request closed its temporary file


def test_one_byte_over_the_cap_is_cut_off_with_a_message_for_the_field(small_limit):
    cap = SMALL_LIMIT + UPLOAD_SLACK_BYTES
    response, body = post(Client(enforce_csrf_checks=True), document=upload("a.pdf", cap + 1))

    assert response.status_code == 413
    assert body == {
        "cut_off": True, "field": "document",
        "message": FILE_MESSAGE.format(limit="65,536バイト"),
        "post": {"company": ["株式会社テスト"]},  # fields sent before the file are kept
        "files": {},  # the cut file is gone
    }
    assert list(small_limit.iterdir()) == []  # and so is its temporary file


def test_the_message_names_the_10_mb_limit(settings):
    request = RequestFactory().post("/upload/")
    request._handson_upload_cut_off = {"field": "document", "reason": "file",
                                       "limit": settings.DOCUMENT_MAX_BYTES}
    from handson.uploads import upload_cut_off_message

    assert upload_cut_off_message(request) == FILE_MESSAGE.format(limit="10MB")
    assert max_file_bytes() == 10 * MIB + MIB


def test_files_that_arrived_whole_before_the_cut_are_kept_until_the_request_ends(small_limit):
    response, body = post(Client(enforce_csrf_checks=True),
                          first=upload("1.pdf", 2000), second=upload("2.pdf", 2 * MIB))
    assert response.status_code == 413
    assert (body["field"], body["files"]) == ("second", {"first": [2000]})
    assert list(small_limit.iterdir()) == []  # closed with the request


def test_all_files_of_a_request_together_are_capped(small_limit):
    files = {f"year{i}": upload(f"{i}.pdf", 600_000) for i in range(3)}  # 1.8 MB > 1.5 MB
    response, body = post(Client(enforce_csrf_checks=True), url="/upload-small-total/", **files)

    assert response.status_code == 413
    assert body["field"] == "year2"
    assert body["files"] == {"year0": [600_000], "year1": [600_000]}
    assert body["message"] == TOTAL_MESSAGE.format(limit="65,536バイト")
    assert list(small_limit.iterdir()) == []


def test_csrf_is_still_checked(small_limit):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = TOKEN
    response = client.post("/upload/", {"company": "x", "document": upload("a.pdf", 100)})
    assert response.status_code == 403

    response, body = post(client, document=upload("a.pdf", 100))
    assert (response.status_code, body["files"]) == (200, {"document": [100]})


def test_the_view_without_the_decorator_takes_everything(small_limit):
    response, body = post(Client(), url="/unlimited/",
                          document=upload("a.pdf", SMALL_LIMIT + UPLOAD_SLACK_BYTES + 1))
    assert (response.status_code, body["cut_off"]) == (200, False)


def test_installing_after_the_body_was_read_is_a_configuration_error():
    request = RequestFactory().post("/upload/", {"company": "x"})
    request.POST  # noqa: B018 - a middleware that reads the body first

    @limit_upload_size
    def view(request):  # pragma: no cover - never reached
        raise AssertionError

    with pytest.raises(ImproperlyConfigured, match="read before the view"):
        view(request)


def test_get_requests_are_left_alone():
    request = RequestFactory().get("/upload/")
    seen = []

    @limit_upload_size
    def view(request):
        seen.append([type(h).__name__ for h in request.upload_handlers])
        from django.http import HttpResponse
        return HttpResponse("ok")

    assert view(request).status_code == 200
    assert seen == [["MemoryFileUploadHandler", "TemporaryFileUploadHandler"]]
    assert upload_was_cut_off(request) is False


# --- Django's WSGI handler, a lazy 200 MB body ----------------------------------------------

BOUNDARY = "----handsonboundary7MA4YWxkTrZu0gW"
HUGE = 200 * 1000 * 1000


def multipart_head(field="document") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
            f"{TOKEN}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"company\"\r\n\r\n"
            f"株式会社テスト\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"決算報告書.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
            ).encode()


def multipart_tail() -> bytes:
    return f"\r\n--{BOUNDARY}--\r\n".encode()


class LazyBody:
    """A request body of `head + zeros + tail`, made as it is read; counts what was read."""

    def __init__(self, head: bytes, zeros: int, tail: bytes):
        self.parts = [head, zeros, tail]
        self.length = len(head) + zeros + len(tail)
        self.consumed = 0

    def read(self, size=-1):
        size = self.length - self.consumed if size is None or size < 0 else size
        out = bytearray()
        head, zeros, tail = len(self.parts[0]), self.parts[1], self.parts[2]
        while size > 0 and self.consumed < self.length:
            at = self.consumed
            if at < head:
                piece = self.parts[0][at: at + size]
            elif at < head + zeros:
                piece = bytes(min(size, head + zeros - at))
            else:
                piece = tail[at - head - zeros: at - head - zeros + size]
            out += piece
            self.consumed += len(piece)
            size -= len(piece)
        return bytes(out)

    def readline(self, size=-1):  # pragma: no cover - multipart parsing does not use it
        return self.read(size)


@pytest.mark.django_db  # the full middleware stack may look up a session or a login
def test_a_200_mb_body_is_read_only_up_to_the_cap_with_flat_memory(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    body = LazyBody(multipart_head(), HUGE, multipart_tail())
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/upload/", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length), "HTTP_COOKIE": f"csrftoken={TOKEN}",
        "wsgi.input": body, "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    statuses = []
    handler = WSGIHandler()

    tracemalloc.start()
    try:
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        content = b"".join(response)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert statuses == ["413 Request Entity Too Large"]
    assert json.loads(content)["field"] == "document"
    cap = max_file_bytes()
    assert cap < body.consumed <= cap + len(multipart_head()) + 2 * 64 * 1024
    assert body.consumed < HUGE / 15
    assert peak < 16 * MIB, f"peak {peak / 1e6:.1f} MB"  # the body is 200 MB
    assert list(tmp_path.iterdir()) == []


# --- a real gunicorn worker, 200 MB over a socket ------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")  # pragma: no cover


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    binary = Path(sys.executable).with_name("gunicorn")
    if not binary.exists() or not Path("/proc/self/status").exists():
        services.missing("gunicorn (and Linux /proc) are needed for this test")
    temp_dir = tmp_path_factory.mktemp("uploads")
    port = services.free_port()
    log = (tmp_path_factory.mktemp("gunicorn") / "log").open("wb")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.handson.upload_server_settings",
           "HANDSON_TEST_UPLOAD_TMP": str(temp_dir), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [str(binary), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class",
         "sync", "--timeout", "30", "handson.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:  # the master listens first, then forks the worker
            workers = _children(process.pid)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                if len(workers) == 1:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start (see {log.name})")
            time.sleep(0.05)
        yield port, workers[0], temp_dir
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
        log.close()


def send(port: int, zeros: int) -> tuple[int, bytes, bool]:
    """POST `zeros` bytes of file in 256 KiB chunks; stop when the server answers or cuts.

    Returns (bytes of body sent, response received, whether the connection was reset).
    """
    head, tail = multipart_head(), multipart_tail()
    length = len(head) + zeros + len(tail)
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sent, response, reset = 0, b"", False
    try:
        sock.sendall(
            f"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken={TOKEN}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n".encode() + head)
        chunk = bytes(256 * 1024)
        while sent < zeros:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered before the body ended
            piece = chunk[: zeros - sent]
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                reset = True
                break
            sent += len(piece)
        else:
            sock.sendall(tail)
        try:
            while data := sock.recv(65536):
                response += data
        except ConnectionResetError:
            reset = True
    finally:
        sock.close()
    return sent, response, reset


def test_gunicorn_cuts_a_200_mb_upload_early_without_temp_files_or_memory(gunicorn_server):
    port, worker, temp_dir = gunicorn_server
    sent, response, reset = send(port, 1000)  # warm up: imports, middleware, first request
    assert response.startswith(b"HTTP/1.1 200 ") and not reset
    before = _peak_rss(worker)

    started = time.monotonic()
    sent, response, reset = send(port, HUGE)
    elapsed = time.monotonic() - started

    # The worker stopped reading right after the cap; what the client managed to send past
    # it sat in socket buffers. It answers 413, or the client sees the connection reset.
    assert max_file_bytes() < sent < 40 * MIB, sent
    assert response.startswith(b"HTTP/1.1 413 ") or reset, response[:100]
    if response:
        assert json.loads(response.split(b"\r\n\r\n", 1)[1])["field"] == "document"
    assert elapsed < 10
    growth = _peak_rss(worker) - before
    assert growth < 30 * MIB, f"worker peak RSS grew by {growth / 1e6:.1f} MB"
    deadline = time.monotonic() + 2
    while list(temp_dir.iterdir()) and time.monotonic() < deadline:  # pragma: no cover
        time.sleep(0.05)
    assert list(temp_dir.iterdir()) == []
