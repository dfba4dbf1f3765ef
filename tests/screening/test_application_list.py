"""The staff application list: each filter, the search, each sort, pagination, the CSV."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from applications.enums import Industry, ProjectType
from applications.models import Application
from handson.enums import Role
from tests.factories import ApplicationFactory, CallFactory, UserFactory, verified_login
from tests.screening.factories import make_applications

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=JST)


def at(day: int, month: int = 5, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=JST)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(client):
    user = UserFactory(role=Role.STAFF, display_name="鈴木 一郎")
    verified_login(client, user)
    return user


@pytest.fixture
def rows(staff):
    """Four applications that differ in every filtered attribute."""
    other_staff = UserFactory(role=Role.STAFF, display_name="田中 次郎")

    def make(key, *, company, status, received, changed, **fields):
        application = ApplicationFactory(
            company__name=company[0], company__name_kana=company[1],
            company__corporate_number=company[2], company__prefecture=company[3],
            company__industry=company[4], status=status, received_at=received, **fields)
        Application.objects.filter(pk=application.pk).update(status_changed_at=changed)
        application.refresh_from_db()
        return application

    return {
        "aoba": make("aoba", company=("青葉精機株式会社", "アオバセイキ　カブシキガイシャ",
                                      "1234567890123", "13", Industry.MANUFACTURING_OTHER),
                     status=S.RECEIVED, received=at(1), changed=at(1),
                     project_type=ProjectType.EXPORT, target_countries=["US", "VN"],
                     eligibility_result={"size_category": "sme"}, eligibility_outcome="eligible",
                     staff_in_charge=staff),
        "sakura": make("sakura", company=("さくら商事有限会社", "サクラショウジ",
                                          "2345678901234", "27", Industry.WHOLESALE),
                       status=S.DOCUMENT_SCREENING, received=at(20), changed=at(25),
                       project_type=ProjectType.OVERSEAS_BASE, target_countries=["VN"],
                       eligibility_result={"size_category": "midtier"},
                       eligibility_outcome="review"),
        "minato": make("minato", company=("みなと食品", "ミナトショクヒン", "",
                                          "01", Industry.RETAIL),
                       status=S.AWAITING_DOCUMENTS, received=None, changed=at(3),
                       project_type=ProjectType.EXPORT, target_countries=["TH", "US"],
                       eligibility_result={}, eligibility_outcome=""),
        "kumo": make("kumo", company=("雲テック株式会社", "クモテック", "5000000000001",
                                      "40", Industry.SERVICES),
                     status=S.REJECTED, received=at(10, month=4), changed=at(1, month=6),
                     project_type=ProjectType.EXPORT, target_countries=["CN"],
                     eligibility_result={"size_category": "sme"},
                     eligibility_outcome="ineligible", staff_in_charge=other_staff),
    }


def listed(client, **params) -> list[int]:
    response = client.get(reverse("screening:application_list"), params)
    assert response.status_code == 200, response.context["form"].errors
    return [row.pk for row in response.context["rows"]]


def ids(rows, *keys) -> list[int]:
    return [rows[key].pk for key in keys]


# Default order: newest receipt first, not yet received last.
def test_default_order_is_newest_receipt_first(client, rows):
    assert listed(client) == ids(rows, "sakura", "aoba", "kumo", "minato")


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": S.RECEIVED}, ["aoba"]),
    ({"status": S.AWAITING_DOCUMENTS}, ["minato"]),
    ({"project_type": ProjectType.OVERSEAS_BASE}, ["sakura"]),
    ({"project_type": ProjectType.EXPORT}, ["aoba", "kumo", "minato"]),
    # any position of the target countries by default …
    ({"country": "VN"}, ["sakura", "aoba"]),
    ({"country": "US"}, ["aoba", "minato"]),
    # … or the first priority only
    ({"country": "VN", "country_first_only": "on"}, ["sakura"]),
    ({"country": "US", "country_first_only": "on"}, ["aoba"]),
    ({"country": "TH", "country_first_only": "on"}, ["minato"]),
    ({"industry": Industry.WHOLESALE}, ["sakura"]),
    ({"industry": Industry.SERVICES}, ["kumo"]),
    ({"prefecture": "13"}, ["aoba"]),
    ({"prefecture": "01"}, ["minato"]),
    ({"size_category": "sme"}, ["aoba", "kumo"]),
    ({"size_category": "midtier"}, ["sakura"]),
    ({"eligibility_outcome": "eligible"}, ["aoba"]),
    ({"eligibility_outcome": "ineligible"}, ["kumo"]),
    ({"eligibility_outcome": "review"}, ["sakura"]),
    ({"eligibility_outcome": "none"}, ["minato"]),
    ({"staff": "none"}, ["sakura", "minato"]),
    # 要注意以上: received/document screening, ≥ 30 days since receipt (aoba: 40 days)
    ({"wait": "1"}, ["aoba"]),
    ({"wait": "2"}, []),
    ({"status": S.RECEIVED, "prefecture": "27"}, []),
    ({"project_type": ProjectType.EXPORT, "size_category": "sme"}, ["aoba", "kumo"]),
])
def test_each_filter(client, rows, params, expected):
    assert listed(client, **params) == ids(rows, *expected)


def test_staff_filter(client, rows, staff):
    assert listed(client, staff=str(staff.pk)) == ids(rows, "aoba")
    assert listed(client, staff=str(rows["kumo"].staff_in_charge_id)) == ids(rows, "kumo")


def test_call_filter(client, rows):
    old_call = CallFactory(fiscal_year=2025, title="2025年度")
    older = ApplicationFactory(call=old_call)
    assert listed(client, call=str(old_call.pk)) == [older.pk]
    assert listed(client, call=str(rows["aoba"].call_id)) == ids(
        rows, "sakura", "aoba", "kumo", "minato")


@pytest.mark.parametrize(("q", "expected"), [
    ("青葉", ["aoba"]),
    ("さくら", ["sakura"]),  # the name itself is in hiragana
    ("あおば", ["aoba"]),  # hiragana finds the フリガナ
    ("ｱｵﾊﾞｾｲｷ", ["aoba"]),  # 半角カナ → NFKC
    ("アオバセイキ カブシキ", ["aoba"]),  # a 半角 space matches the stored 全角 space
    ("あおばせいきかぶしき", ["aoba"]),  # and no space at all
    ("しょう", ["sakura"]),
    ("株式会社", ["aoba", "kumo"]),
    ("１２３４５６７８９０１２３", ["aoba"]),  # 全角 digits, full 法人番号
    ("6789-01234", ["sakura"]),  # part of a 法人番号 with a hyphen
    ("  クモ  ", ["kumo"]),
    ("ない会社", []),
])
def test_search(client, rows, q, expected):
    assert listed(client, q=q) == ids(rows, *expected)


def test_search_by_application_id(client, rows):
    pk = rows["minato"].pk
    assert pk in listed(client, q=str(pk))


@pytest.mark.parametrize(("sort", "expected"), [
    ("received", ["kumo", "aoba", "sakura", "minato"]),
    ("-received", ["sakura", "aoba", "kumo", "minato"]),
    ("kana", ["aoba", "kumo", "sakura", "minato"]),
    ("-kana", ["minato", "sakura", "kumo", "aoba"]),
    # days in stage: aoba 40, minato 38, sakura 16, kumo 9
    ("-days", ["aoba", "minato", "sakura", "kumo"]),
    ("days", ["kumo", "sakura", "minato", "aoba"]),
    # ApplicationStatus order
    ("status", ["minato", "aoba", "sakura", "kumo"]),
    ("-status", ["kumo", "sakura", "aoba", "minato"]),
])
def test_each_sort(client, rows, sort, expected):
    assert listed(client, sort=sort) == ids(rows, *expected)


def test_row_shows_days_and_flag(client, rows):
    response = client.get(reverse("screening:application_list"), {"sort": "-days"})
    first = response.context["rows"][0]
    assert (first.wait.days_in_stage, first.wait.days_since_receipt, first.wait.label) == (
        40, 40, "要注意")
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # the active column's link flips the order and keeps nothing of the page number
    assert 'href="?sort=days"' in html


def test_invalid_filter_is_reported_and_ignored(client, rows):
    response = client.get(reverse("screening:application_list"),
                          {"status": "bogus", "prefecture": "13"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert [row.pk for row in response.context["rows"]] == ids(rows, "aoba")


def test_pagination_keeps_filters(client, staff):
    call = CallFactory()
    make_applications(53, call=call, statuses=[S.RECEIVED], received_at=at(1))
    make_applications(2, call=call, statuses=[S.DOCUMENT_SCREENING], received_at=at(1))
    response = client.get(reverse("screening:application_list"),
                          {"status": S.RECEIVED, "sort": "kana"})
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(response.context["rows"])) == (
        53, 2, 50)
    html = response.content.decode()
    assert 'href="?status=received&amp;sort=kana&amp;page=2"' in html
    # the CSV link carries the same filters, without the page
    assert f'href="{reverse("screening:application_csv")}?status=received&amp;sort=kana"' in html

    second = client.get(reverse("screening:application_list"),
                        {"status": S.RECEIVED, "sort": "kana", "page": 2})
    rows = second.context["rows"]
    assert len(rows) == 3
    assert {row.status for row in rows} == {S.RECEIVED}
    assert 'href="?status=received&amp;sort=kana&amp;page=1"' in second.content.decode()


# -- CSV -------------------------------------------------------------------------------------

HEADER = ["受付番号/ID", "企業名", "フリガナ", "法人番号", "都道府県", "業種", "規模区分",
          "要件判定", "状態", "受付日", "状態の日数", "対象国", "プロジェクト種類", "担当職員"]


def csv_rows(client, **params) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("screening:application_csv"), params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%94%B3%E8%BE%BC%E4%B8%80%E8%A6%A7_20260610.csv")
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_content(client, rows, staff):
    body, table = csv_rows(client, status=S.RECEIVED)
    assert body.startswith(b"\xef\xbb\xbf" + "受付番号/ID,".encode())
    assert body.endswith(b"\r\n")
    assert table == [HEADER, [
        str(rows["aoba"].pk), "青葉精機株式会社", "アオバセイキ　カブシキガイシャ", "1234567890123",
        "東京都", "製造業・建設業・運輸業・その他", "中小企業", "対象", "受付済み", "2026-05-01",
        "40", "米国、ベトナム", "輸出プロジェクト", "鈴木 一郎",
    ]]


def test_csv_follows_filters_and_sort(client, rows):
    _, table = csv_rows(client, sort="kana")
    assert [row[0] for row in table[1:]] == [str(pk) for pk in ids(
        rows, "aoba", "kumo", "sakura", "minato")]
    _, table = csv_rows(client, eligibility_outcome="none")
    assert table[1][1:] == ["みなと食品", "ミナトショクヒン", "", "北海道", "小売業（飲食店を含む）",
                            "", "未判定", "WEBフォーム入力中", "", "38", "タイ、米国",
                            "輸出プロジェクト", ""]


@pytest.mark.parametrize(("name", "expected"), [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+81-3-1234", "'+81-3-1234"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "'\tTAB"),
    ("株式会社=イコール", "株式会社=イコール"),
])
def test_csv_guards_against_formula_injection(client, staff, name, expected):
    ApplicationFactory(company__name=name, company__name_kana="=カナ")
    _, table = csv_rows(client)
    assert (table[1][1], table[1][2]) == (expected, "'=カナ")
