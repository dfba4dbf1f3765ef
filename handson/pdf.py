"""The one PDF renderer: WeasyPrint, locked down.

- The URL fetcher refuses everything but inline `data:` URLs: no `file://`, no network, so a
  company name like `<img src=file:///etc/passwd>` can neither read files nor call out (and
  templates autoescape it to text anyway). A refused URL is left out of the PDF (WeasyPrint
  logs a warning); the render goes on.
- Fonts are the system IPAex fonts (fontconfig), subset by HarfBuzz (`libharfbuzz-subset0`).
- A render is bounded in time (`PDF_RENDER_TIMEOUT`) where a signal timer can be used (the
  main thread: gunicorn sync workers, Celery prefork children, management commands). In
  other threads there is no bound.
"""

import functools
import signal
import threading
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


class PdfError(Exception):
    pass


class PdfRenderTimeout(PdfError):
    pass


class BlockedUrl(PdfError):
    pass


@functools.cache
def _locked_fetcher_class():
    # WeasyPrint (>= 70) wants a `URLFetcher` subclass: a plain function breaks as soon as it
    # raises. Built lazily, as importing WeasyPrint takes over a second.
    from weasyprint.urls import URLFetcher

    class LockedUrlFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise BlockedUrl(f"PDF rendering may not fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return LockedUrlFetcher


def locked_url_fetcher():
    """A fetcher for one render that only reads `data:` URLs and refuses everything else."""
    return _locked_fetcher_class()(allow_redirects=False)


# The timer fires again at this interval until the render stops: an exception raised by a
# signal handler is lost where it lands in an `except Exception` (WeasyPrint has those around
# resource loading) or in a `__del__` (garbage collection during layout).
_TIMEOUT_REPEAT = 0.05


@contextmanager
def _time_limit(seconds: float):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    message = f"PDF rendering took longer than {seconds} s"
    fired = False

    def on_alarm(signum, frame):
        nonlocal fired
        fired = True
        raise PdfRenderTimeout(message)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, _TIMEOUT_REPEAT)
        yield
    finally:
        # A signal still pending raises in here; disarm until it sticks, so no timer or
        # handler of ours outlives the render.
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except PdfRenderTimeout:
                fired = True
    if fired:  # a swallowed signal, and the render finished after the limit: still a timeout
        raise PdfRenderTimeout(message)


def html_to_pdf(html: str, *, timeout: float | None = None) -> bytes:
    from weasyprint import HTML

    limit = settings.PDF_RENDER_TIMEOUT if timeout is None else timeout
    with _time_limit(limit):
        document = HTML(string=html, base_url="about:blank", url_fetcher=locked_url_fetcher())
        return document.write_pdf()


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str = "ja",
    timeout: float | None = None,
) -> bytes:
    """Render `templates/pdf/<name>.html` with autoescaping, then to PDF bytes."""
    with translation.override(language):
        html = render_to_string(template_name, context)
    return html_to_pdf(html, timeout=timeout)
