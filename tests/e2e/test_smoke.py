import json

import pytest

from tests.e2e.conftest import assert_accessible
from tests.factories import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_japanese_accessible_and_healthy(page):
    CallFactory()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "専門家による海外展開支援（ハンズオン支援）")
    assert "最長で2027年2月28日まで" in page.locator("main").inner_text()
    assert_accessible(page)

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "本文へ移動"

    response = page.goto("/healthz")
    assert response.status == 200
    body = json.loads(page.locator("body").inner_text())
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage"}


def test_language_switch_to_english(page):
    page.goto("/")
    with page.expect_navigation():
        page.get_by_label("表示言語").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
