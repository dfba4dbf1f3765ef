"""The WEB form page: ownership, section saves (plain POST and autosave JSON), whitelisting."""

import json

import pytest
import time_machine
from django.urls import reverse

from applications.eligibility import evaluate
from applications.enums import ApplicationStatus, ProjectType
from applications.models import Application, WebFormAnswers
from applications.services.eligibility import facts_from_application
from handson.enums import Role
from handson.models import AuditLog
from tests.applications.factories_webform import complete_answers
from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def form_url(application):
    return reverse("applications:webform", args=[application.public_id])


@pytest.fixture
def application():
    return ApplicationFactory(company__name="株式会社あおば精機", company__corporate_number="",
                              product_name="精密部品")


@pytest.fixture
def owner_client(client, application):
    client.force_login(application.applicant)
    return client


# -- access ----------------------------------------------------------------------------------

def test_url_is_under_my_applications(application):
    assert form_url(application) == f"/my/applications/{application.public_id}/form/"


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 302), ("owner", 200), ("other_applicant", 404), ("staff", 404),
])
def test_form_page_access(client, application, who, expected):
    if who == "owner":
        client.force_login(application.applicant)
    elif who == "other_applicant":
        client.force_login(UserFactory(role=Role.APPLICANT))
    elif who == "staff":
        verified_login(client, UserFactory(role=Role.STAFF))
    response = client.get(form_url(application))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("handson:login"))


def test_another_applicant_cannot_save_into_my_form(client, application):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.post(form_url(application), {"section": "plan",
                                                   "plan-management_philosophy": "乗っ取り"})
    assert response.status_code == 404
    assert not WebFormAnswers.objects.filter(application=application).exists()


def test_unknown_application_is_404(owner_client):
    response = owner_client.get(reverse("applications:webform",
                                        args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


# -- the page --------------------------------------------------------------------------------

def test_page_shows_registration_summary_and_only_export_questions(owner_client, application):
    html = owner_client.get(form_url(application)).content.decode()
    assert "株式会社あおば精機" in html
    assert "米国" in html  # target_countries ["US"], by its Japanese name
    assert 'name="requirements-product_exists"' in html
    assert 'name="requirements-b2b"' in html
    assert 'name="requirements-aims_local_entity"' not in html
    assert 'name="requirements-management_approved"' in html
    assert 'name="requirements-continuous_export_to_target"' in html
    # 連絡事項 and the editing notice
    assert 'name="notes-contact_notes"' in html
    assert "申込の提出（受付）後は、WEBフォームと提出書類の変更はできません。" in html
    assert 'src="/static/js/webform.js"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_overseas_base_project_gets_base_questions_only(client):
    application = ApplicationFactory(project_type=ProjectType.OVERSEAS_BASE)
    client.force_login(application.applicant)
    html = client.get(form_url(application)).content.decode()
    assert 'name="requirements-aims_local_entity"' in html
    assert 'name="requirements-base_operation_started"' in html
    assert 'name="requirements-complies_local_law"' in html
    assert 'name="requirements-product_exists"' not in html
    assert 'name="requirements-b2b"' not in html


def test_yes_no_questions_are_radio_buttons_unchecked_until_answered(owner_client, application):
    html = owner_client.get(form_url(application)).content.decode()
    assert ('<input type="radio" name="declarations-declares_not_antisocial" value="yes" '
            'class="form-check-input" id="id_declarations-declares_not_antisocial_0">') in html
    assert ('<input type="radio" name="declarations-declares_not_antisocial" value="no" '
            'class="form-check-input" id="id_declarations-declares_not_antisocial_1">') in html
    complete_answers(application, declares_not_antisocial=False)
    html = owner_client.get(form_url(application)).content.decode()
    assert ('value="no" class="form-check-input" '
            'id="id_declarations-declares_not_antisocial_1" checked>') in html


def test_designations_are_the_guideline_list(owner_client):
    from applications.designations import DESIGNATIONS

    assert len(DESIGNATIONS) == 15
    assert DESIGNATIONS[0] == ("regional_future_leader", "「地域未来牽引企業」（経済産業省）")
    assert ("jetro_members", "「ジェトロ・メンバーズ会員企業」（ジェトロ）") in DESIGNATIONS


# -- saving a section (no JavaScript) -------------------------------------------------------

def test_plain_post_saves_exactly_the_section(owner_client, application):
    with time_machine.travel("2026-05-11 14:05:00+09:00", tick=False):
        response = owner_client.post(form_url(application), {
            "section": "plan",
            "plan-management_philosophy": "  ものづくりで世界へ\r\n二行目  ",
            "plan-desired_support": "販路開拓の助言",
        })
        page = owner_client.get(form_url(application)).content.decode()
    assert response.status_code == 302
    assert response["Location"] == form_url(application) + "#section-plan"
    answers = WebFormAnswers.objects.get(application=application)
    assert answers.management_philosophy == "ものづくりで世界へ\n二行目"
    assert answers.desired_support == "販路開拓の助言"
    assert answers.expansion_motive == ""
    assert answers.declares_not_antisocial is None
    log = AuditLog.objects.get(action="webform.saved")
    assert log.actor == application.applicant
    assert log.after == {"section": "plan",
                         "fields": ["management_philosophy", "desired_support"]}
    assert "SEL-1" in log.rule_ids
    assert '<div class="save-status small" id="status-plan" role="status" aria-live="polite">' \
           "保存しました（14:05）</div>" in page


def test_yes_no_and_checkboxes_are_stored(owner_client, application):
    owner_client.post(form_url(application), {
        "section": "requirements", "requirements-consulting_business": "no",
        "requirements-product_exists": "yes", "requirements-b2b": "no",
    })
    owner_client.post(form_url(application), {
        "section": "bonus", "bonus-designations": ["jetro_members", "j_startup"],
        "bonus-regional_revitalization": "on", "bonus-trade_fair_plan": "FOODEX 2026",
    })
    answers = WebFormAnswers.objects.get(application=application)
    assert answers.consulting_business is False
    assert answers.product_exists is True
    assert answers.b2b is False
    assert answers.management_approved is None
    assert answers.designations == ["j_startup", "jetro_members"]  # the guideline's order
    assert answers.regional_revitalization is True
    assert answers.trade_fair_plan == "FOODEX 2026"


def test_notes_and_product_url_are_saved_on_the_application(owner_client, application):
    owner_client.post(form_url(application), {"section": "notes",
                                              "notes-contact_notes": "2024年設立のため2期分"})
    owner_client.post(form_url(application), {
        "section": "product", "product-product_url": "ｈｔｔｐｓ://example.jp/品"})
    application.refresh_from_db()
    assert application.contact_notes == "2024年設立のため2期分"
    assert application.product_url == "https://example.jp/品"


def test_extra_post_fields_change_nothing(owner_client, application):
    other = ApplicationFactory()
    before = Application.objects.values().get(pk=application.pk)
    owner_client.post(form_url(application), {
        "section": "notes", "notes-contact_notes": "よろしくお願いします",
        "status": ApplicationStatus.ADOPTED, "notes-status": ApplicationStatus.ADOPTED,
        "application": other.pk, "notes-company": other.company_id, "company": other.company_id,
        "notes-applicant": other.applicant_id, "notes-product_name": "書き換え",
        "notes-eligibility_outcome": "eligible",
    })
    after = Application.objects.values().get(pk=application.pk)
    changed = {k for k in after if after[k] != before[k]}
    # Saving re-evaluates eligibility from the facts (issue #3); nothing else moves.
    stored_eligibility = {"eligibility_facts", "eligibility_result", "eligibility_outcome",
                          "eligibility_rules_version"}
    assert changed - stored_eligibility == {"contact_notes", "updated_at"}
    application.refresh_from_db()
    assert after["eligibility_outcome"] == evaluate(
        facts_from_application(application)).outcome
    assert after["status"] == ApplicationStatus.AWAITING_DOCUMENTS
    assert not WebFormAnswers.objects.filter(application=other).exists()


def test_questions_of_the_other_project_type_cannot_be_posted(owner_client, application):
    owner_client.post(form_url(application), {
        "section": "requirements", "requirements-aims_local_entity": "no",
        "requirements-b2b": "yes"})
    answers = WebFormAnswers.objects.get(application=application)
    assert answers.aims_local_entity is None
    assert answers.b2b is True


def test_invalid_section_shows_errors_beside_fields_and_stores_nothing(owner_client,
                                                                       application):
    response = owner_client.post(form_url(application), {
        "section": "plan", "plan-management_philosophy": "あ" * 4001,
        "plan-expansion_motive": "正しい入力",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert ('aria-invalid="true" aria-describedby="id_plan-management_philosophy_helptext '
            'id_plan-management_philosophy_error"') in html
    assert ('<div class="invalid-feedback d-block" id="id_plan-management_philosophy_error">'
            "4000文字以内でご記入ください（現在4001文字）。</div>") in html
    assert "正しい入力</textarea>" in html  # what they typed is shown again
    assert not WebFormAnswers.objects.filter(application=application).exists()


def test_invalid_yes_no_value_is_refused(owner_client, application):
    response = owner_client.post(form_url(application), {
        "section": "declarations", "declarations-declares_not_antisocial": "maybe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert ('<fieldset aria-describedby="id_declarations-declares_not_antisocial_error">'
            in html)
    assert "「はい」か「いいえ」を選んでください。" in html


def test_invalid_url_is_refused_in_japanese(owner_client, application):
    response = owner_client.post(form_url(application), {
        "section": "product", "product-product_url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "https:// で始まる正しいURLをご記入ください。" in response.content.decode()
    application.refresh_from_db()
    assert application.product_url == ""


# -- autosave (JSON) -------------------------------------------------------------------------

def test_autosave_returns_saved_time_and_missing_items(owner_client, application):
    with time_machine.travel("2026-05-11 09:07:30+09:00", tick=False):
        response = owner_client.post(form_url(application), {
            "section": "plan", "plan-management_philosophy": "理念"}, **XHR)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == "保存しました（09:07）"
    assert data["saved_at"] == "2026-05-11T09:07:30+09:00"
    assert "「経営理念・経営戦略」が未入力です。" not in data["missing"]
    assert "「海外展開の動機・目的」が未入力です。" in data["missing"]
    assert WebFormAnswers.objects.get(application=application).management_philosophy == "理念"


def test_autosave_returns_field_errors(owner_client, application):
    response = owner_client.post(form_url(application), {
        "section": "plan", "plan-market_needs": "い" * 4001, "plan-financial_base": "ok"},
        **XHR)
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert data["errors"] == {
        "plan-market_needs": ["4000文字以内でご記入ください（現在4001文字）。"]}
    assert not WebFormAnswers.objects.filter(application=application).exists()


def test_autosave_of_unknown_section(owner_client, application):
    response = owner_client.post(form_url(application), {"section": "status"}, **XHR)
    assert response.status_code == 400
    assert json.loads(response.content)["ok"] is False


def test_unchanged_save_writes_no_audit_row(owner_client, application):
    data = {"section": "plan", "plan-management_philosophy": "理念"}
    owner_client.post(form_url(application), data, **XHR)
    owner_client.post(form_url(application), data, **XHR)
    assert AuditLog.objects.filter(action="webform.saved").count() == 1


# -- editing stops at received ---------------------------------------------------------------

def test_received_application_is_read_only(owner_client, application):
    complete_answers(application, management_philosophy="提出済みの理念")
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.RECEIVED)
    html = owner_client.get(form_url(application)).content.decode()
    assert "この申込は受付済みのため、WEBフォームと提出書類は変更できません。" in html
    assert "data-autosave" not in html
    assert '<fieldset class="webform-section" disabled>' in html

    response = owner_client.post(form_url(application), {
        "section": "plan", "plan-management_philosophy": "書き換え"}, **XHR)
    assert response.status_code == 409
    assert response.json()["message"].startswith("この申込は受付済みのため")
    response = owner_client.post(form_url(application), {
        "section": "plan", "plan-management_philosophy": "書き換え"})
    assert response.status_code == 302
    answers = WebFormAnswers.objects.get(application=application)
    assert answers.management_philosophy == "提出済みの理念"


def test_edit_permission_rule(application):
    user = application.applicant
    assert user.has_perm("applications.edit_application", application)
    application.status = ApplicationStatus.RECEIVED
    assert not user.has_perm("applications.edit_application", application)
    assert user.has_perm("applications.fill_webform", application)
    assert not UserFactory(role=Role.APPLICANT).has_perm("applications.fill_webform",
                                                         application)


# -- eligibility hint ------------------------------------------------------------------------

def test_eligibility_panel_shows_blocking_findings_only(owner_client, application):
    html = owner_client.get(form_url(application)).content.decode()
    assert "申込要件についてのご確認" not in html  # nothing answered: favourable for now
    complete_answers(application, declares_not_antisocial=False,
                     continuous_export_to_target=True)
    html = owner_client.get(form_url(application)).content.decode()
    assert "申込要件についてのご確認" in html
    assert "[COMP-ANTISOCIAL]" in html
    assert "[PROJ-EXCL-EXPORTING]" in html
    assert "[COMP-LAW]" not in html  # passes are not shown


def test_page_query_count_does_not_grow_with_documents(owner_client, application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.enums import DocumentKind
    from tests.applications.factories_webform import stored_document

    complete_answers(application)
    stored_document(application, fiscal_year=2025)
    owner_client.get(form_url(application))  # warm the session
    with CaptureQueriesContext(connection) as one:
        owner_client.get(form_url(application))
    for year in (2024, 2023, 2022):
        stored_document(application, fiscal_year=year)
    stored_document(application, kind=DocumentKind.PRODUCT_CATALOGUE)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(form_url(application))
    assert len(one) <= 9
    assert len(many) <= len(one)
