"""Data and helpers for the registration tests (FORM-TIMEOUT, FORM-AUTOREPLY)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

TOKYO = ZoneInfo("Asia/Tokyo")
# Inside the 2026 call of tests.factories.CallFactory (2026-04-01 … 2027-01-31).
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=TOKYO)

COMPANY = {
    "name": "株式会社ジェトロ製作所",
    "name_kana": "かぶしきがいしゃ　じぇとろせいさくしょ",
    "corporate_number": "７１２３４５６７８９０１２",
    "legal_form": "company",
    "postal_code": "１０７－６００６",
    "prefecture": "13",
    "address": "東京都港区赤坂１－１２－３２",
    "representative": "山田　太郎",
    "industry": "manufacturing_other",
    "special_industry": "",
    "capital_yen": "1,000万円",
    "regular_employees": "２５人",
    "website": "www.example.co.jp",
}
CONTACT = {
    "contact_name": "佐藤　花子",
    "contact_department": "海外事業部",
    "contact_email": "hanako@example.co.jp",
    "contact_email_confirm": "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ",
    "contact_phone": "０３（３５８２）８３３３",
}
PROJECT = {
    "project_type": "export",
    "country_1": "US",
    "country_2": "VN",
    "country_3": "",
    "product_name": "精密加工部品",
    "product_url": "https://www.example.co.jp/products/",
}
STEP_DATA = {1: COMPANY, 2: CONTACT, 3: PROJECT}


def step_url(step: int) -> str:
    return reverse("applications:register", kwargs={"step": step})


def start(client):
    return client.post(reverse("applications:register_start"))


def fill_steps(client, upto: int = 3, **overrides):
    """Start and submit steps 1..upto with valid data; returns the last response."""
    response = start(client)
    for step in range(1, upto + 1):
        response = client.post(step_url(step), {**STEP_DATA[step], **overrides.get(step, {}),
                                                "action": "next"})
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def register(client):
    """The whole registration; returns the response of 「登録する」."""
    fill_steps(client)
    return client.post(reverse("applications:register_confirm"))
