"""The expert registry and profile in the browser: register an expert, add a conflict, replace
an expert, and the expert edits their own profile. axe-core on every page."""

import pytest

from applications.enums import ApplicationStatus as S
from experts.models import Assignment, Expert
from handson.enums import Role
from tests.e2e.conftest import assert_accessible, login
from tests.experts.factories import ExpertFactory
from tests.factories import ApplicationFactory, UserFactory
from tests.screening.factories_screening import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_an_expert_add_a_conflict_and_replace(page):
    application = ApplicationFactory(status=S.IN_SUPPORT, company__name="株式会社あおば精機",
                                     company__corporate_number="7010401022916")
    current = ExpertFactory(name="前任 太郎", countries=["US"])
    Assignment.objects.create(application=application, expert=current)
    login(page, staff_user())

    page.goto("/staff/experts/")
    assert page.get_by_role("heading", level=1).inner_text() == "専門家の登録簿"
    assert_accessible(page)
    page.get_by_role("link", name="専門家を登録する").click()
    page.get_by_role("textbox", name="氏名*", exact=True).fill("山田 太郎")
    page.get_by_label("氏名（フリガナ）").fill("yamada")
    page.get_by_label("メールアドレス").fill("yamada@example.jp")
    page.get_by_role("group", name="対応国・地域").get_by_label("米国").check()
    page.get_by_role("group", name="専門分野").get_by_label("輸出・販路開拓").check()
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("フリガナは全角カタカナで入力してください").is_visible()
    assert_accessible(page)
    page.get_by_label("氏名（フリガナ）").fill("やまだ たろう")
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("山田 太郎")
    assert_accessible(page)
    expert = Expert.objects.get(name="山田 太郎")
    assert (expert.name_kana, expert.countries) == ("ヤマダ　タロウ", ["US"])

    page.get_by_role("textbox", name="企業*", exact=True).fill("7010401022916")
    page.get_by_label("内容（社内用）").fill("元顧問先")
    page.get_by_role("button", name="登録する", exact=True).click()
    assert page.get_by_text("株式会社あおば精機との利益相反を登録しました。").is_visible()
    assert_accessible(page)

    page.goto(f"/staff/experts/assignments/{application.public_id}/replace/")
    assert page.get_by_role("heading", level=1).inner_text() == "専門家の交替"
    assert page.locator("#excluded tbody tr").all_inner_texts() == [
        "前任 太郎\t現在の担当専門家です", "山田 太郎\t利益相反の申告あり"]
    assert_accessible(page)


def test_expert_edits_own_profile(page):
    user = UserFactory(role=Role.EXPERT)
    expert = ExpertFactory(user=user, name="専門家 花子", capacity=4)
    login(page, user)
    page.goto("/expert/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "プロフィールの編集"
    assert_accessible(page)
    page.get_by_label("電話番号").fill("０３－３５８２－８３３３")
    page.get_by_role("group", name="担当地域").get_by_label("ASEAN").check()
    page.get_by_role("group", name="対応言語（日本語以外）").get_by_label("ベトナム語").check()
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("プロフィールを保存しました。").is_visible()
    assert_accessible(page)
    expert.refresh_from_db()
    assert (expert.phone, expert.regions, expert.languages, expert.capacity) == (
        "03-3582-8333", ["asean"], ["vi"], 4)
