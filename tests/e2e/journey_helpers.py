"""Small helpers shared by the end-to-end journeys (test_support_journey, test_selection_journey).

One browser context per person: a TOTP code is accepted only once, so a user who logs in
keeps their context open for the whole journey.
"""

import re
import time

from tests.e2e.conftest import login
from tests.e2e.test_webform import log_in_as

LINK = re.compile(r"https?://\S+")


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def staff_page(browser, live_server, user):
    """A context for a staff, committee or expert user, logged in with password + TOTP."""
    context, page = new_page(browser, live_server)
    login(page, user)
    page.wait_for_load_state()
    return context, page


def applicant_page(browser, live_server, user):
    """A context carrying an applicant's session (applicants arrive by signed links)."""
    context, page = new_page(browser, live_server)
    log_in_as(page, live_server, user)
    return context, page


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def wait_for_mail(sink, subject_part: str, *, to: str | None = None, timeout: float = 20.0):
    """The first message at the SMTP sink whose subject contains `subject_part` (and sent to
    `to`), waiting for the Celery worker to deliver it."""
    deadline = time.monotonic() + timeout
    while True:
        for message in sink.parsed():
            if subject_part in str(message["Subject"]) and (to is None or message["To"] == to):
                return message
        if time.monotonic() > deadline:
            subjects = [str(m["Subject"]) for m in sink.parsed()]
            raise AssertionError(f"no mail with {subject_part!r} at the sink; got {subjects}")
        time.sleep(0.05)


def first_link(text: str, path_part: str) -> str:
    for link in LINK.findall(text):
        if path_part in link:
            return link
    raise AssertionError(f"no link containing {path_part!r} in:\n{text}")
