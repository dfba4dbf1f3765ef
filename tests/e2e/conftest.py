"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

`page` gives a fresh context per test; `assert_accessible(page)` runs axe-core (vendored
from the npm registry in tests/e2e/vendor) and fails on serious or critical violations.
"""

from pathlib import Path

import pytest

from tests import services

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    executable = services.require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page, *, impacts=("serious", "critical")) -> None:
    """axe-core on the current page; evaluate() is not subject to the page's CSP."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [v for v in result["violations"] if v["impact"] in impacts]
    details = [f"{v['id']} ({v['impact']}): {v['help']} → "
               f"{[n['target'] for n in v['nodes']][:3]}" for v in bad]
    assert not bad, f"accessibility violations on {page.url}:\n" + "\n".join(details)


def login(page, user, password: str = "correct horse battery 1") -> None:
    """Password, then the TOTP code of the user's confirmed device (created if missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import current_totp

    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    page.goto("/login/")
    page.get_by_label("ユーザー名またはメールアドレス").fill(user.username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("確認コード（6桁）").fill(current_totp(user))
    page.get_by_role("button", name="確認する").click()
