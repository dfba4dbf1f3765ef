"""The self-check page (anyone, nothing stored) and the staff eligibility page (staff only)."""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.template.loader import render_to_string
from django.urls import reverse

from applications.eligibility import RULES_VERSION
from applications.models import EligibilityOverride, WebFormAnswers
from applications.services.eligibility import (
    application_eligibility_refresh,
    eligibility_finding_override,
    eligibility_for_display,
)
from handson.enums import Role
from handson.models import AuditLog
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

SELF_CHECK = "/eligibility/"

# An eligible SME export case, as a browser without JavaScript posts it.
ELIGIBLE_EXPORT = {
    "legal_form": "company", "industry": "manufacturing_other", "special_industry": "",
    "capital_yen": "1000万円", "regular_employees": "25", "consulting_business": "no",
    "project_type": "export", "country_1": "US", "country_2": "", "country_3": "",
    "product_exists": "yes", "procures_domestically_for_export": "no",
    "aims_export_or_agent_contract": "yes", "product_legal": "yes", "b2b": "yes",
    "management_approved": "yes", "continuous_export_to_target": "no",
    "local_base_in_target": "no", "parallel_human_support": "no",
    "declares_no_legal_violation": "yes", "declares_no_subsidy_violation": "yes",
    "declares_not_antisocial": "yes", "consents_to_reporting": "yes",
}
EXPORT_RULES = ["SIZE-SME", "SIZE-EXCL-CONSULT", "COMP-LAW", "COMP-SUBSIDY", "COMP-ANTISOCIAL",
                "REPORT-CONSENT", "PROJ-EXCL-EXPORTING", "PROJ-EXCL-LOCALBASE",
                "PROJ-NO-PARALLEL", "EXP-PRODUCT-EXISTS", "EXP-AIM", "EXP-LEGAL",
                "EXP-MGMT-APPROVAL", "EXP-B2B", "COUNTRY-COUNT"]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def rule_ids(response) -> list[str]:
    return re.findall(r'data-rule-id="([A-Z0-9-]+)"', response.content.decode())


def error_of(response, name: str) -> str:
    """The error shown next to field `name`, and check that the input points at it."""
    html = response.content.decode()
    match = re.search(rf'<div class="invalid-feedback d-block" id="sc-{name}_error">(.*?)</div>',
                      html)
    assert match, f"no error next to {name}"
    described = re.search(rf'aria-describedby="([^"]*sc-{name}_error[^"]*)"', html)
    assert described, f"the error of {name} is not tied to its field"
    return match.group(1)


# --- self-check ---------------------------------------------------------------------------


def test_the_form_is_japanese_and_explains_employees_and_industry(client):
    response = client.get(SELF_CHECK)
    assert response.status_code == 200
    page = text(response)
    assert "申込要件のセルフチェック" in page
    assert "オンライン登録（2時間の制限時間）は始まりません" in page
    assert "解雇するときに30日前までの予告が必要な人（労働基準法第20条）" in page
    assert "2か月以内の期間を定めて雇う人" in page
    assert "試用期間中（14日以内）の人" in page
    assert "売上高がいちばん大きい事業" in page
    assert "飲食店（76）と、持ち帰り・配達の飲食サービス（77）" in page
    assert '<option value="US">米国</option>' in page
    assert 'data-show-when="project_type=export"' in page
    assert 'data-show-when="legal_form=company,other"' in page  # the capital field
    assert 'src="/static/js/eligibility.js"' in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline JS/CSS


def test_an_eligible_sme_export_case(client):
    response = client.post(SELF_CHECK, ELIGIBLE_EXPORT)
    assert response.status_code == 200
    page = text(response)
    assert "申込要件を満たしています" in page
    assert '企業規模: <strong id="selfcheck-size">中小企業</strong>' in page
    assert "確認した項目（15件）" in page
    assert rule_ids(response) == EXPORT_RULES
    assert ("III.1(1)① 中小企業に該当します。主たる事業が製造業その他の会社で、資本金1,000万円・"
            "常時使用する従業員25人のため") in page
    assert "III.4(1) 対象国・地域は1か国・地域（US）です。" in page
    assert "ジェトロのほかのサービス" not in page
    # The answers travel back for "回答を修正する" (nothing is stored on the server).
    assert '<input type="hidden" name="capital_yen" value="1000万円">' in page


def test_an_ineligible_case_shows_the_fail_finding_and_other_services(client):
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "regular_employees": "2,001",
                                        "capital_yen": "5億"})
    page = text(response)
    assert "申込要件を満たしていない項目があります" in page
    assert rule_ids(response)[0] == "SIZE-MID"  # fail findings come first
    assert ("III.1(1)② 企業規模の要件を満たさないため、対象となりません。主たる事業が製造業その他の"
            "会社で、資本金5億円・常時使用する従業員2,001人のため") in page
    assert "満たしていない項目（1）" in page
    assert "ジェトロの相談窓口（貿易投資相談）" in page
    assert "新規輸出1万者支援プログラム" in page
    assert "企業規模:" not in page


def test_review_findings_and_a_group(client):
    data = {**ELIGIBLE_EXPORT, "legal_form": "group", "group_members_all_sme": "unknown",
            "industry": "", "capital_yen": "", "regular_employees": ""}
    page = text(client.post(SELF_CHECK, data))
    assert "担当者の確認が必要な項目があります" in page
    assert "グループの構成員がすべて中小企業基本法第2条第1項第1号〜第4号の中小企業かどうかが" in page


def test_overseas_base_ignores_the_export_answers(client):
    data = {**ELIGIBLE_EXPORT, "project_type": "overseas_base", "product_exists": "no",
            "b2b": "maybe", "aims_local_entity": "yes", "base_operation_started": "no",
            "complies_local_law": "yes"}
    response = client.post(SELF_CHECK, data)
    assert "申込要件を満たしています" in text(response)
    assert [r for r in rule_ids(response) if r.startswith(("EXP", "BASE"))] == [
        "BASE-AIM", "BASE-NOT-STARTED", "BASE-LOCAL-LAW", "BASE-MGMT-APPROVAL"]


def test_a_sole_proprietor_capital_is_ignored_even_when_malformed(client):
    data = {**ELIGIBLE_EXPORT, "legal_form": "individual", "capital_yen": "たくさん",
            "special_industry": "rubber"}
    page = text(client.post(SELF_CHECK, data))
    assert "主たる事業が製造業その他の個人事業主で、常時使用する従業員25人" in page


def test_follow_ups_are_asked_only_after_yes(client):
    data = {**ELIGIBLE_EXPORT, "procures_domestically_for_export": "yes",
            "parallel_human_support": "yes", "consulting_business": "yes"}
    response = client.post(SELF_CHECK, data)
    assert response.status_code == 400
    for name in ("supplier_permission", "parallel_support_is_approved_consortium_specialist",
                 "project_is_consulting_base_or_license"):
        assert error_of(response, name) == "「はい」か「いいえ」を選んでください。"
    data.update(supplier_permission="no",
                parallel_support_is_approved_consortium_specialist="yes",
                project_is_consulting_base_or_license="yes")
    response = client.post(SELF_CHECK, data)
    assert [r for r in rule_ids(response) if r in ("EXP-SUPPLIER-PERMISSION",
                                                   "SIZE-EXCL-CONSULT")] == [
        "SIZE-EXCL-CONSULT", "EXP-SUPPLIER-PERMISSION"]
    assert "ジェトロの承認を受けて利用するコンソーシアムの専門分野の専門家によるもの" in text(response)


def test_three_countries_need_the_us_tariff_case(client):
    data = {**ELIGIBLE_EXPORT, "country_1": "VN", "country_2": "TH", "country_3": "US"}
    page = text(client.post(SELF_CHECK, data))
    assert "III.4(1) 対象国・地域（1. VN、2. TH、3. US）の選び方が要件を満たしません。" in page
    page = text(client.post(SELF_CHECK, {**data, "us_tariff_response": "on"}))
    assert "米国関税措置への対応策として米国（US）への事業展開を希望されているため" in page


def test_validation_messages_are_japanese_and_next_to_their_fields(client):
    response = client.post(SELF_CHECK, {"legal_form": "company", "capital_yen": "abc",
                                        "regular_employees": "-3"})
    assert response.status_code == 400
    page = text(response)
    assert "入力内容を確認してください" in page
    assert error_of(response, "industry") == "主たる事業の業種を選んでください。"
    assert error_of(response, "capital_yen") == (
        "資本金は「10000000」や「1000万」のように、数字で入力してください。")
    assert error_of(response, "regular_employees") == (
        "常時使用する従業員数は、0以上の整数（例: 25）で入力してください。")
    assert error_of(response, "project_type") == "プロジェクトの種類を選んでください。"
    assert error_of(response, "country_1") == "対象国・地域（第1希望）を選んでください。"
    assert error_of(response, "declares_not_antisocial") == "「はい」か「いいえ」を選んでください。"
    assert 'aria-invalid="true"' in page
    # Export questions are not required before the project type is chosen.
    assert 'id="sc-b2b_error"' not in page


def test_missing_company_facts_and_huge_numbers(client):
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "capital_yen": "",
                                        "regular_employees": ""})
    assert error_of(response, "capital_yen") == "資本金の額を入力してください。"
    assert error_of(response, "regular_employees") == "常時使用する従業員数を入力してください。"
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "capital_yen": "1京",
                                        "regular_employees": "１２３４５６７８９"})
    assert error_of(response, "capital_yen") == (
        "資本金は「10000000」や「1000万」のように、数字で入力してください。")
    assert error_of(response, "regular_employees") == (
        "常時使用する従業員数が大きすぎます。入力をご確認ください。")
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "capital_yen": "10000000000000000"})
    assert error_of(response, "capital_yen") == "資本金の額が大きすぎます。入力をご確認ください。"
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "legal_form": "group"})
    assert error_of(response, "group_members_all_sme") == (
        "「はい」「いいえ」「分からない」のいずれかを選んでください。")


@pytest.mark.parametrize(("typed", "shown"), [
    ("１億５０００万円", "資本金1億5,000万円"),
    ("50,000,001", "資本金50,000,001円"),
    ("3億", "資本金3億円"),
    ("0", "資本金0円"),
])
def test_capital_is_read_as_japanese_applicants_write_it(client, typed, shown):
    data = {**ELIGIBLE_EXPORT, "capital_yen": typed, "industry": "services",
            "regular_employees": "101"}
    assert f"{shown}・常時使用する従業員101人" in text(client.post(SELF_CHECK, data))


def test_edit_brings_the_answers_back_into_the_form(client):
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "action": "edit"})
    assert response.status_code == 200
    page = text(response)
    assert "入力内容を確認してください" not in page
    assert 'value="1000万円"' in page
    assert re.search(r'name="project_type" id="sc-project_type_0" value="export" checked', page)
    assert '<option value="US" selected>米国</option>' in page


def _counts() -> dict[str, int]:
    models = [*apps.get_app_config("applications").get_models(),
              *apps.get_app_config("handson").get_models(), Session]
    return {model._meta.label: model.objects.count() for model in models}


def test_the_self_check_stores_nothing(client):
    before = _counts()
    client.get(SELF_CHECK)
    responses = [client.post(SELF_CHECK, ELIGIBLE_EXPORT),
                 client.post(SELF_CHECK, {"legal_form": "company"}),
                 client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "action": "edit"})]
    assert _counts() == before
    assert dict(client.session) == {}
    for response in responses:
        assert "sessionid" not in response.cookies
    assert "csrftoken" in client.cookies


def test_extra_fields_change_nothing(client):
    response = client.post(SELF_CHECK, {**ELIGIBLE_EXPORT, "status": "received",
                                        "size_category": "midtier", "outcome": "eligible"})
    assert "中小企業" in text(response)


# --- staff page ---------------------------------------------------------------------------


@pytest.fixture
def application():
    application = ApplicationFactory(company__name="株式会社あおば精機")
    WebFormAnswers.objects.create(application=application, continuous_export_to_target=True)
    application_eligibility_refresh(application=application)
    return application


def staff_url(application) -> str:
    return reverse("applications:staff_eligibility", args=[application.public_id])


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 404), ("other_applicant", 404), ("committee", 404),
    ("expert", 404), ("staff", 200), ("admin", 200),
])
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_page_matrix(client, application, who, expected, method):
    users = {
        "owner": application.applicant,
        "other_applicant": UserFactory(role=Role.APPLICANT),
        "committee": UserFactory(role=Role.COMMITTEE),
        "expert": UserFactory(role=Role.EXPERT),
        "staff": UserFactory(role=Role.STAFF),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    if who in users:
        verified_login(client, users[who])
    data = {"rule_id": "EXP-B2B", "ov-EXP-B2B-new_outcome": "fail",
            "ov-EXP-B2B-reason": "理由"}
    response = getattr(client, method)(staff_url(application), data if method == "post" else None)
    if method == "post" and expected == 200:
        expected = 302  # the override is saved, then back to the page
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("handson:login"))
    if expected != 302 or who == "anonymous":
        assert not EligibilityOverride.objects.exists()


def test_staff_without_a_verified_second_factor_is_sent_to_it(client, application):
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.get(staff_url(application))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_staff_page_shows_every_finding(client, application):
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.get(staff_url(application))
    page = text(response)
    assert '<span class="badge eligibility-badge eligibility-badge-review" data-outcome="review">要確認</span>' in page
    assert "企業規模</dt> <dd class=\"col-sm-8\">中小企業</dd>" in page
    assert f"判定規則の版</dt> <dd class=\"col-sm-8\">{RULES_VERSION}</dd>" in page
    assert "判定の項目（15件）" in page
    assert [r for r in rule_ids(response)] == EXPORT_RULES
    assert "III.3 担当者の確認が必要です。対象国・地域（US）へすでに継続的な輸出が実現していると" in page
    assert "職員による判定の変更はありません。" in page
    assert "PROJ-EXCL-NOPROSPECT" in page and "COUNTRY-LIMITED" in page
    # Unanswered questions are listed (the applicant answered only one so far).
    assert "未回答の質問（申込者に有利な回答とみなして判定しています）" in page
    assert "<li>B to B（取引先が企業）の案件である</li>" in page


def test_staff_override_through_the_page(client, application):
    staff = UserFactory(role=Role.STAFF, display_name="職員 花子")
    verified_login(client, staff)
    response = client.post(staff_url(application), {
        "rule_id": "PROJ-EXCL-EXPORTING", "ov-PROJ-EXCL-EXPORTING-new_outcome": "pass",
        "ov-PROJ-EXCL-EXPORTING-reason": "サンプル出荷のみ（電話で確認）",
        "created_by": "1", "original_outcome": "fail",
    })
    assert response.status_code == 302
    assert response["Location"] == staff_url(application)
    override = EligibilityOverride.objects.get()
    assert (override.rule_id, override.original_outcome, override.new_outcome,
            override.reason, override.created_by) == (
        "PROJ-EXCL-EXPORTING", "review", "pass", "サンプル出荷のみ（電話で確認）", staff)
    application.refresh_from_db()
    assert application.eligibility_outcome == "eligible"

    page = text(client.get(staff_url(application)))
    assert "PROJ-EXCL-EXPORTING の判定を変更しました。" in page
    assert "職員が変更（自動判定: 要確認）" in page
    assert "サンプル出荷のみ（電話で確認）" in page
    assert "職員 花子" in page
    assert "要確認 → 適合" in page
    assert "適用中" in page


def test_staff_override_needs_a_reason_shown_next_to_the_field(client, application):
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.post(staff_url(application), {
        "rule_id": "EXP-B2B", "ov-EXP-B2B-new_outcome": "fail", "ov-EXP-B2B-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert ('<div class="invalid-feedback d-block" id="id_ov-EXP-B2B-reason_error">'
            "判定を変更する理由を入力してください。</div>") in html
    assert 'aria-describedby="id_ov-EXP-B2B-reason_helptext id_ov-EXP-B2B-reason_error"' in html
    assert re.search(r'<details open>\s*<summary>EXP-B2B の判定を変更する', html)
    assert not EligibilityOverride.objects.exists()

    response = client.post(staff_url(application), {
        "rule_id": "EXP-B2B", "ov-EXP-B2B-new_outcome": "pass", "ov-EXP-B2B-reason": "理由"})
    assert "現在の判定と同じです。別の判定を選んでください。" in text(response)
    assert not EligibilityOverride.objects.exists()


def test_staff_override_of_an_unknown_rule_changes_nothing(client, application):
    verified_login(client, UserFactory(role=Role.STAFF))
    response = client.post(staff_url(application), {
        "rule_id": "BASE-AIM", "ov-BASE-AIM-new_outcome": "fail", "ov-BASE-AIM-reason": "理由"},
        follow=True)
    assert "変更する項目が見つかりませんでした。" in text(response)
    assert not EligibilityOverride.objects.exists()
    assert not AuditLog.objects.filter(action="application.eligibility_overridden").exists()


# --- includes -----------------------------------------------------------------------------


def test_the_applicant_notice_never_shows_overrides(application):
    staff = UserFactory(role=Role.STAFF)
    eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                 new_outcome="fail", reason="内部メモ: 契約書を確認",
                                 actor=staff)
    html = render_to_string("applications/_eligibility_notice.html",
                            {"eligibility": eligibility_for_display(application)})
    page = re.sub(r"\s+", " ", html)
    assert "このままでも申込はできますが、要件を満たしていない可能性があります。審査で判断します。" in page
    assert '<span class="badge eligibility-badge eligibility-badge-review">要確認</span>' in page
    assert "へすでに継続的な輸出が実現していると" in page
    assert "内部メモ" not in page and "不適合" not in page
    assert "まだお答えいただいていない質問があります。" in page


def test_the_applicant_notice_is_empty_when_nothing_fails():
    application = ApplicationFactory()
    html = render_to_string("applications/_eligibility_notice.html",
                            {"eligibility": eligibility_for_display(application)})
    assert html.strip() == ""


def test_the_staff_panel(application):
    staff = UserFactory(role=Role.STAFF, display_name="職員 次郎")
    eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                 new_outcome="pass", reason="単発の出荷", actor=staff)
    html = render_to_string("applications/staff/_eligibility_panel.html", {
        "eligibility": eligibility_for_display(application), "eligibility_url": "/x/"})
    page = re.sub(r"\s+", " ", html)
    assert 'data-outcome="eligible">対象</span>' in page
    assert '<tr data-rule-id="PROJ-EXCL-EXPORTING" data-outcome="pass">' in page
    assert "変更済み（自動判定: 要確認）" in page
    assert "単発の出荷" in page and "職員 次郎" in page
    assert '<a href="/x/">判定の詳細・変更</a>' in page


def test_the_gap_between_sme_and_midtier_needs_staff(client):
    """legal-notes: a software house with 200 employees and ¥100M is neither ① nor ②."""
    data = {**ELIGIBLE_EXPORT, "industry": "services", "special_industry": "software_it",
            "capital_yen": "1億", "regular_employees": "200"}
    response = client.post(SELF_CHECK, data)
    page = text(response)
    assert "担当者の確認が必要な項目があります" in page
    assert rule_ids(response)[0] == "SIZE-MID"
    assert "文言上は①中小企業と②中堅企業の定義の隙間に当たり" in page
