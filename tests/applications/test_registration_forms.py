"""Every applicable error of quality.md "Forms": a Japanese message next to its field, tied
to the input (aria-invalid, aria-describedby), and nothing stored."""

import re

import pytest
import time_machine

from applications.models import Application, Company, RegistrationDraft
from tests.applications.factories_registration import (
    COMPANY,
    NOW,
    STEP_DATA,
    fill_steps,
    start,
    step_url,
)
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup():
    with time_machine.travel(NOW, tick=False):
        CallFactory()
        yield


def widget_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def field_error(html: str, name: str) -> str:
    """The error block crispy renders below the field, by the id aria-describedby uses."""
    match = re.search(rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', html,
                      re.S)
    assert match, f"no error block for {name}"
    return re.sub(r"<[^>]+>|\s+", "", match.group(1))


def assert_error_next_to(response, name: str, message: str) -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, name) == re.sub(r"\s+", "", message)
    tag = widget_tag(html, name)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    assert f"id_{name}_error" in described
    # The summary at the top links to the field too.
    assert f'<a href="#id_{name}">' in html


def submit(client, step: int, **changes):
    data = {**STEP_DATA[step], **changes, "action": "next"}
    return client.post(step_url(step), {k: v for k, v in data.items() if v is not None})


def reach(client, step: int):
    if step == 1:
        start(client)
    else:
        fill_steps(client, upto=step - 1)
    return RegistrationDraft.objects.get().data


CASES = [
    # step, changes, field, message
    (1, {"name": ""}, "name", "企業名を入力してください。"),
    (1, {"name": "　 "}, "name", "企業名を入力してください。"),
    (1, {"name_kana": "株式会社ジェトロ"}, "name_kana",
     "フリガナは全角カタカナで入力してください（使えない文字：「株」「式」「会」「社」）。"),
    (1, {"name_kana": "ジェトロABC"}, "name_kana",
     "フリガナは全角カタカナで入力してください（使えない文字：「A」「B」「C」）。"),
    (1, {"corporate_number": "8123456789012"}, "corporate_number",
     "法人番号が正しくありません（チェックデジットが一致しません）。国税庁法人番号公表サイトでご確認ください。"),
    (1, {"corporate_number": "123456789"}, "corporate_number",
     "法人番号は13桁の数字で入力してください。"),
    (1, {"legal_form": None}, "legal_form", "組織形態を選んでください。"),
    (1, {"legal_form": "kabushiki"}, "legal_form", "組織形態を一覧から選んでください。"),
    (1, {"postal_code": "107-600"}, "postal_code",
     "郵便番号は7桁の数字で入力してください（例：107-6006）。"),
    (1, {"prefecture": "48"}, "prefecture", "都道府県を一覧から選んでください。"),
    (1, {"address": ""}, "address", "住所（市区町村以降）を入力してください。"),
    (1, {"industry": ""}, "industry", "主たる業種を選んでください。"),
    (1, {"capital_yen": ""}, "capital_yen", "会社の場合は資本金を入力してください。"),
    (1, {"capital_yen": "1京円"}, "capital_yen",
     "資本金の金額が大きすぎます（10兆円以下）。桁や単位をご確認ください。"),
    (1, {"regular_employees": "-3"}, "regular_employees", "従業員数は0以上の数を入力してください。"),
    (1, {"regular_employees": ""}, "regular_employees",
     "常時使用する従業員数を入力してください（いない場合は0）。"),
    (1, {"website": "not a url"}, "website",
     "URLの形式が正しくありません（例：https://www.example.co.jp/）。"),
    (2, {"contact_name": ""}, "contact_name", "ご担当者名を入力してください。"),
    (2, {"contact_email": "hanako@", "contact_email_confirm": "hanako@"}, "contact_email",
     "メールアドレスの形式が正しくありません（例：taro@example.co.jp）。"),
    (2, {"contact_email_confirm": "hanaco@example.co.jp"}, "contact_email_confirm",
     "確認用のメールアドレスが一致しません。もう一度ご確認ください。"),
    (2, {"contact_phone": "03-3582-833"}, "contact_phone",
     "電話番号の桁数が正しくありません。市外局番から入力してください（例：03-3582-8333）。"),
    (3, {"project_type": ""}, "project_type", "プロジェクトの種類を選んでください。"),
    (3, {"country_1": ""}, "country_1", "対象国・地域を選んでください。"),
    (3, {"country_1": "JP"}, "country_1",
     "日本は対象国・地域に選べません。海外の国・地域を選んでください。"),
    (3, {"country_2": "JP"}, "country_2",
     "日本は対象国・地域に選べません。海外の国・地域を選んでください。"),
    (3, {"country_2": "US"}, "country_2",
     "米国は第1希望と重複しています。別の国・地域を選ぶか、空欄にしてください。"),
    (3, {"country_2": "", "country_3": "TH"}, "country_2",
     "第3希望を選ぶ場合は、第2希望から順に選んでください。"),
    (3, {"country_1": "CN", "country_3": "TH"}, "country_3",
     "3か国・地域目を選べるのは、米国関税措置への対応として米国を対象に含める場合だけです。"
     "米国を含めるか、2か国・地域までにしてください。"),
    (3, {"country_3": "TH"}, "us_tariff_response",
     "3か国・地域を選ぶ場合は、米国関税措置への対応であることをチェックしてください"
     "（そうでない場合は2か国・地域までです）。"),
    (3, {"country_1": "CN", "us_tariff_response": "on"}, "us_tariff_response",
     "米国関税措置への対応を選ぶ場合は、対象国・地域に米国を含めてください。"),
    (3, {"product_name": ""}, "product_name", "対象製品・サービス名を入力してください。"),
]


@pytest.mark.parametrize(("step", "changes", "field", "message"), CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_error_is_shown_next_to_its_field_and_nothing_is_stored(client, step, changes, field,
                                                                message):
    before = reach(client, step)
    response = submit(client, step, **changes)
    assert_error_next_to(response, field, message)
    draft = RegistrationDraft.objects.get()
    assert draft.data == before
    assert (Company.objects.count(), Application.objects.count()) == (0, 0)


def test_errors_keep_what_was_typed(client):
    reach(client, 1)
    response = submit(client, 1, postal_code="107-600", name="株式会社ＡＢＣ")
    tag = widget_tag(response.content.decode(), "postal_code")
    assert 'value="107-600"' in tag


def test_three_countries_with_the_us_for_tariffs_is_accepted(client):
    reach(client, 3)
    response = submit(client, 3, country_3="TH", us_tariff_response="on")
    assert response.status_code == 302
    project = RegistrationDraft.objects.get().data["project"]
    assert (project["country_1"], project["country_2"], project["country_3"],
            project["us_tariff_response"]) == ("US", "VN", "TH", "on")


def test_one_country_is_enough(client):
    reach(client, 3)
    assert submit(client, 3, country_2="").status_code == 302


def test_sole_proprietor_needs_no_capital_and_none_is_kept(client):
    reach(client, 1)
    response = submit(client, 1, legal_form="individual", corporate_number="",
                      capital_yen="500万")
    assert response.status_code == 302
    company = RegistrationDraft.objects.get().data["company"]
    assert company["capital_yen"] == "" and company["corporate_number"] == ""


def test_every_input_has_a_label(client):
    start(client)
    for step in (1, 2, 3):
        if step > 1:
            submit(client, step - 1)
        html = client.get(step_url(step)).content.decode()
        for name in STEP_DATA[step]:
            tag = widget_tag(html, name)
            input_id = re.search(r'id="([^"]+)"', tag).group(1)
            assert f'for="{input_id}"' in html, name


def test_required_fields_are_all_reported_at_once(client):
    reach(client, 2)
    response = client.post(step_url(2), {"action": "next"})
    html = response.content.decode()
    for name in ("contact_name", "contact_email", "contact_email_confirm", "contact_phone"):
        assert 'aria-invalid="true"' in widget_tag(html, name)
    assert "入力内容に誤りがあります（4か所）。" in html
    assert 'aria-invalid="true"' not in widget_tag(html, "contact_department")


def test_company_data_is_normalised_before_it_is_stored(client):
    reach(client, 1)
    submit(client, 1)
    company = RegistrationDraft.objects.get().data["company"]
    assert company == {**COMPANY, "name_kana": "カブシキガイシャ　ジェトロセイサクショ",
                       "corporate_number": "7123456789012", "postal_code": "1076006",
                       "address": "東京都港区赤坂1-12-32", "representative": "山田 太郎",
                       "capital_yen": "10,000,000", "regular_employees": "25",
                       "website": "https://www.example.co.jp"}
