"""English catalogue (locale/en) and the switch to English.

The interface is Japanese first: msgids are Japanese and English is the translation.
The catalogue must be complete (no empty or fuzzy entry, every placeholder kept), and the
public pages must render in English when the visitor chooses it — by the language switcher
(POST /i18n/setlang/), by the django_language cookie, or by Accept-Language — while the
Japanese default stays Japanese. `make test` compiles the catalogue before pytest runs.
"""

import ast
import re
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import CallFactory

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Python %-format placeholders (named or positional), Django template variables and
# str.format fields such as {label}.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]|\{\{\s*[\w.]+\s*\}\}|\{\w+\}")


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------

def _unquote(line: str) -> str:
    return ast.literal_eval(line)  # a PO string line is a valid Python string literal


def parse_po(path: Path) -> list[dict]:
    """A small PO reader: each entry's flags, msgid, msgid_plural and msgstr forms."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None,
                 "msgstr": {}, "obsolete": False, "line": None}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                kind, index = field
                if kind == "msgstr":
                    entry["msgstr"][index] += _unquote(line)
                else:
                    entry[kind] += _unquote(line)
            else:
                match = re.fullmatch(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")",
                                     line)
                assert match, f"unreadable line in {path.name}: {line!r}"
                kind, index, text = match.group(1), match.group(2), _unquote(match.group(3))
                if kind == "msgstr":
                    index = int(index) if index is not None else 0
                    entry["msgstr"][index] = text
                    field = ("msgstr", index)
                else:
                    entry[kind] = text
                    field = (kind, None)
        if entry["msgid"] is not None and not entry["obsolete"]:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    entries = parse_po(PO_PATH)
    assert entries and entries[0]["msgid"] == "", "the catalogue has no header entry"
    return entries[1:]  # without the header


def _report(problems: list[str]) -> str:
    return f"{len(problems)} entries:\n" + "\n".join(problems)


def test_catalogue_is_not_trivially_small(catalogue):
    assert len(catalogue) > 1000


def test_every_entry_is_translated(catalogue):
    empty = [repr(e["msgid"]) for e in catalogue
             if not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())]
    assert not empty, "untranslated " + _report(empty)


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = [repr(e["msgid"]) for e in catalogue if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy (ignored at run time) " + _report(fuzzy)


def test_plural_entries_have_both_forms(catalogue):
    incomplete = [repr(e["msgid"]) for e in catalogue
                  if e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1]]
    assert not incomplete, "plural entries without msgstr[0] and msgstr[1]: " + _report(incomplete)


def test_every_placeholder_is_kept(catalogue):
    missing = []
    for e in catalogue:
        wanted = set(PLACEHOLDER.findall(e["msgid"])) | set(PLACEHOLDER.findall(e["msgid_plural"] or ""))
        for index, text in sorted(e["msgstr"].items()):
            lost = sorted(p for p in wanted if p not in text)
            if lost:
                missing.append(f"{e['msgid']!r} (msgstr[{index}] lacks {', '.join(lost)})")
    assert not missing, "placeholders lost in " + _report(missing)


def test_leading_and_trailing_newlines_match(catalogue):
    def ends(text):
        return re.match(r"\n*", text).group(0), re.search(r"\n*\Z", text).group(0)

    mismatched = [repr(e["msgid"]) for e in catalogue
                  if any(ends(text) != ends(e["msgid"]) for text in e["msgstr"].values())]
    assert not mismatched, "leading/trailing newlines differ from the msgid in " + _report(mismatched)


def test_compiled_catalogue_exists():
    assert MO_PATH.exists(), (
        f"{MO_PATH} is missing: run `.venv/bin/python manage.py compilemessages --ignore=.venv` "
        "(make test does it first)")


# --------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------

# URL name -> (the page's own part of <title>, <h1> text) in each language. <title> is that
# part followed by SITE_NAME (see base.html), so only its start is compared.
PAGES = {
    "home": ("Home", "Expert Hands-on Support for Overseas Expansion"),
    "applications:apply": ("Before you apply", "Before you apply"),
    "applications:eligibility": ("Eligibility self-check", "Eligibility self-check"),
    "handson:login": ("Log in", "Log in"),
}
PAGES_JA = {
    "home": ("ホーム", "専門家による海外展開支援（ハンズオン支援）"),
    "applications:apply": ("お申し込みの前に", "お申し込みの前に"),
    "applications:eligibility": ("申込要件のセルフチェック", "申込要件のセルフチェック"),
    "handson:login": ("ログイン", "ログイン"),
}
# More exact English on each page: text chosen in the catalogue for that page.
ENGLISH_TEXT = {
    "home": [
        "Before you apply (guidelines and preparation)",
        "Eligibility self-check",
        "Resend the web form link",
        "Application period",
        "(Closes once the planned number of applications is reached)",
        "Login for staff, committee members and experts",
        "Skip to main content",
        "Display language",
    ],
    "applications:apply": [
        "What kind of support is this?",
        "Who can apply",
        "Costs",
        "From application to the start of support",
        "Complete online registration within 2 hours",
        "Start online registration",
        "Inquiries and submission by post",
    ],
    "applications:eligibility": [
        "1. About your company",
        "2. About your project",
        "3. Legal compliance and consent to surveys",
        "How to choose your industry (correspondence with the Japan Standard Industrial "
        "Classification)",
        "Who counts as a \"regular employee\"",
        "See results",
    ],
    "handson:login": [
        "This login is for JETRO staff, screening committee members and experts. Applicant "
        "companies should access the service via the link in the automatic reply e-mail.",
        "Username or e-mail address",
        "Password",
    ],
}


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def page_parts(response) -> tuple[str, str, str, str]:
    html = response.content.decode()
    lang = re.search(r"<html lang=\"([^\"]*)\">", html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert lang and title and h1, html[:2000]
    return lang.group(1), _text(title.group(1)), _text(h1.group(1)), _text(html)


@pytest.fixture
def call(db):
    """A call that is open on the day the pages are rendered (the home page shows it)."""
    with time_machine.travel("2026-06-01 10:00 +0900", tick=False):
        yield CallFactory()


def assert_english(response, name):
    assert response.status_code == 200
    lang, title, h1, text = page_parts(response)
    assert lang == "en"
    assert title.startswith(PAGES[name][0])
    assert h1 == PAGES[name][1]
    for expected in ENGLISH_TEXT[name]:
        assert expected in text, f"{expected!r} not on {name} in English"
    assert PAGES_JA[name][1] not in text


@pytest.mark.parametrize("name", list(PAGES))
def test_japanese_is_the_default(client, call, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    lang, title, h1, text = page_parts(response)
    assert lang == "ja"
    assert title.startswith(PAGES_JA[name][0])
    assert h1 == PAGES_JA[name][1]
    assert PAGES[name][1] not in text


@pytest.mark.parametrize("name", list(PAGES))
def test_language_cookie_switches_to_english(client, call, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    assert_english(client.get(reverse(name)), name)


@pytest.mark.parametrize("name", list(PAGES))
def test_accept_language_switches_to_english(client, call, name):
    assert_english(client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en"), name)


@pytest.mark.parametrize("name", list(PAGES))
def test_language_switcher_switches_to_english_and_back(client, call, name):
    url = reverse(name)
    page = client.get(url).content.decode()
    assert f'action="{reverse("set_language")}"' in page  # the switcher in base.html
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert_english(client.get(url), name)
    client.post(reverse("set_language"), {"language": "ja", "next": url})
    lang, title, h1, _ = page_parts(client.get(url))
    assert lang == "ja" and title.startswith(PAGES_JA[name][0]) and h1 == PAGES_JA[name][1]


def test_closed_intake_message_is_english(client, db):
    """With no open call, the apply page explains why in English too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lang, _, _, text = page_parts(client.get(reverse("applications:apply")))
    assert lang == "en"
    assert "Online registration is not currently available" in text
    assert ("Applications are not currently being accepted. The next call for applications "
            "will be announced on the JETRO website.") in text
