"""Eligibility of stored applications: facts mapping, refresh + audit, staff overrides, display."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from applications.eligibility import RULES_VERSION, EligibilityFacts, evaluate
from applications.models import EligibilityOverride, WebFormAnswers
from applications.services.eligibility import (
    application_eligibility_refresh,
    eligibility_finding_override,
    eligibility_for_display,
    facts_from_application,
    unanswered_questions,
)
from handson.enums import Role
from handson.models import AuditLog
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT_ANSWERS = {
    "parallel_human_support": False,
    "consulting_business": False,
    "product_exists": True,
    "procures_domestically_for_export": False,
    "aims_export_or_agent_contract": True,
    "product_legal": True,
    "b2b": True,
    "management_approved": True,
    "continuous_export_to_target": False,
    "local_base_in_target": False,
    "declares_no_legal_violation": True,
    "declares_no_subsidy_violation": True,
    "declares_not_antisocial": True,
    "consents_to_reporting": True,
}
EXPORT_RULES_IN_ORDER = [
    "SIZE-SME", "SIZE-EXCL-CONSULT", "COMP-LAW", "COMP-SUBSIDY", "COMP-ANTISOCIAL",
    "REPORT-CONSENT", "PROJ-EXCL-EXPORTING", "PROJ-EXCL-LOCALBASE", "PROJ-NO-PARALLEL",
    "EXP-PRODUCT-EXISTS", "EXP-AIM", "EXP-LEGAL", "EXP-MGMT-APPROVAL", "EXP-B2B",
    "COUNTRY-COUNT",
]


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF, display_name="職員 一郎")


def answered(application, **changes):
    WebFormAnswers.objects.update_or_create(application=application,
                                            defaults={**EXPORT_ANSWERS, **changes})
    application.refresh_from_db()
    return application


def eligibility_audits(application, action="application.eligibility_changed"):
    return list(AuditLog.objects.filter(action=action, object_id=str(application.pk))
                .order_by("pk"))


# --- facts_from_application --------------------------------------------------------------


def test_facts_from_application_maps_every_field_exactly():
    application = ApplicationFactory(
        company__legal_form="company", company__industry="services",
        company__capital_yen=300_000_000, company__regular_employees=250,
        company__special_industry="software_it", project_type="overseas_base",
        target_countries=["US", "VN", "TH"], us_tariff_response=True,
    )
    WebFormAnswers.objects.create(
        application=application, consulting_business=True,
        project_is_consulting_base_or_license=False, aims_local_entity=True,
        base_operation_started=True, complies_local_law=False, management_approved=False,
        continuous_export_to_target=True, local_base_in_target=True,
        parallel_human_support=True, parallel_support_is_approved_consortium_specialist=True,
        declares_no_legal_violation=False, declares_no_subsidy_violation=True,
        declares_not_antisocial=False, consents_to_reporting=False,
    )
    application.refresh_from_db()

    facts = facts_from_application(application)

    assert facts == EligibilityFacts(
        legal_form="company", industry="services", capital_yen=300_000_000,
        regular_employees=250, group_members_all_sme=None, special_industry="software_it",
        consulting_business=True, project_is_consulting_base_or_license=False,
        project_type="overseas_base", target_countries=["US", "VN", "TH"],
        us_tariff_response=True,
        # export questions unanswered: the favourable values (not read for a base project)
        product_exists=True, procures_domestically_for_export=False, supplier_permission=True,
        aims_export_or_agent_contract=True, product_legal=True, b2b=True,
        management_approved=False, aims_local_entity=True, base_operation_started=True,
        complies_local_law=False, continuous_export_to_target=True, local_base_in_target=True,
        parallel_human_support=True, parallel_support_is_approved_consortium_specialist=True,
        declares_no_legal_violation=False, declares_no_subsidy_violation=True,
        declares_not_antisocial=False, consents_to_reporting=False,
    )


def test_without_answers_every_question_takes_the_favourable_value():
    application = ApplicationFactory(company__special_industry="", company__capital_yen=None,
                                     company__legal_form="individual",
                                     company__regular_employees=3)
    assert not WebFormAnswers.objects.filter(application=application).exists()

    facts = facts_from_application(application)

    assert facts == EligibilityFacts(legal_form="individual", industry="manufacturing_other",
                                     capital_yen=None, regular_employees=3,
                                     special_industry=None, target_countries=["US"],
                                     supplier_permission=True)
    assert evaluate(facts).outcome == "eligible"


def test_an_unanswered_supplier_permission_is_favourable_once_goods_are_procured():
    application = answered(ApplicationFactory(), procures_domestically_for_export=True,
                           supplier_permission=None)
    facts = facts_from_application(application)
    assert facts.procures_domestically_for_export is True
    assert facts.supplier_permission is True
    assert evaluate(facts).finding_for("EXP-SUPPLIER-PERMISSION").outcome == "pass"
    assert unanswered_questions(application) == ["調達元から対象国・地域への輸出の許諾を得ている"]


def test_unanswered_questions_are_the_japanese_labels_of_the_relevant_questions():
    application = ApplicationFactory(project_type="export")
    assert unanswered_questions(application) == [
        "同時期に同内容で他の人的支援サービスを受ける予定がある",
        "海外展開支援のコンサルティング等を業としている",
        "申込時点で輸出する製品・サービスが存在する",
        "商社・卸として国内で調達した商材を輸出する",
        "対象国・地域への輸出や現地代理店契約等を目指す",
        "日本及び対象国・地域の法令に違反する製品・サービスではない",
        "B to B（取引先が企業）の案件である",
        "対象国・地域へすでに継続的な輸出を行っている",
        "対象国・地域にすでに現地事業拠点がある",
        "本サービスへの申込について経営責任者の承認を得ている",
        "法令違反・不正行為・公序良俗に反する行為がなく、その疑いもない",
        "補助金適正化法及び関係省庁の命令に違反していない",
        "反社会的勢力又はこれに類似する企業・団体・個人ではない",
        "支援期間中・終了後の調査への回答と利用実績の公表に同意する",
    ]
    answered(application, consulting_business=True, b2b=None)
    assert unanswered_questions(application) == [
        "本件はそのコンサルティング等の海外拠点設立・ライセンス輸出等を目的とする",
        "B to B（取引先が企業）の案件である",
    ]


def test_overseas_base_questions_replace_the_export_questions():
    application = answered(ApplicationFactory(project_type="overseas_base"))
    assert unanswered_questions(application) == [
        "現地法人・支店・店舗・駐在員事務所等の拠点設立や合弁・出資を目指す",
        "その拠点の生産・操業・活動がすでに始まっている",
        "対象国・地域の現地法令に従って拠点を設立する",
    ]


# --- refresh ------------------------------------------------------------------------------


def test_refresh_stores_facts_result_outcome_and_version_and_audits_the_first_outcome(staff):
    application = answered(ApplicationFactory())

    result = application_eligibility_refresh(application=application, actor=staff)

    assert result.outcome == "eligible"
    assert result.rule_ids == EXPORT_RULES_IN_ORDER
    application.refresh_from_db()
    assert application.eligibility_outcome == "eligible"
    assert application.eligibility_rules_version == RULES_VERSION
    assert application.eligibility_facts == facts_from_application(application).to_dict()
    assert application.eligibility_result == {
        **result.to_dict(), "engine_outcome": "eligible", "overrides": []}
    (audit,) = eligibility_audits(application)
    assert audit.actor == staff
    assert audit.before == {"eligibility_outcome": ""}
    assert audit.after == {"eligibility_outcome": "eligible", "engine_outcome": "eligible",
                           "rules_version": RULES_VERSION}
    assert audit.rule_ids == []


def test_refresh_audits_only_when_the_outcome_changes():
    application = answered(ApplicationFactory(company__regular_employees=25))
    application_eligibility_refresh(application=application)
    application_eligibility_refresh(application=application)
    assert len(eligibility_audits(application)) == 1

    # Same outcome, other facts: stored, but no audit.
    application.company.regular_employees = 30
    application.company.save()
    application_eligibility_refresh(application=application)
    assert application.eligibility_facts["regular_employees"] == 30
    assert len(eligibility_audits(application)) == 1

    application.company.regular_employees = 2_001
    application.company.capital_yen = 500_000_000
    application.company.save()
    answered(application, continuous_export_to_target=True)
    result = application_eligibility_refresh(application=application)

    assert result.outcome == "ineligible"
    assert application.eligibility_outcome == "ineligible"  # the caller's instance too
    audits = eligibility_audits(application)
    assert len(audits) == 2
    assert audits[1].actor is None
    assert audits[1].before == {"eligibility_outcome": "eligible"}
    assert audits[1].after["eligibility_outcome"] == "ineligible"
    assert audits[1].rule_ids == ["SIZE-MID", "PROJ-EXCL-EXPORTING"]


def test_refresh_reads_the_saved_answers_not_a_stale_instance():
    application = answered(ApplicationFactory())
    stale = type(application).objects.get(pk=application.pk)
    _ = stale.answers  # cached on the stale instance
    WebFormAnswers.objects.filter(application=application).update(b2b=False)
    result = application_eligibility_refresh(application=stale)
    assert result.finding_for("EXP-B2B").outcome == "fail"


# --- overrides ----------------------------------------------------------------------------


def test_override_is_stored_audited_and_applied(staff):
    application = answered(ApplicationFactory(), continuous_export_to_target=True)
    application_eligibility_refresh(application=application)
    assert application.eligibility_outcome == "review"

    override = eligibility_finding_override(
        application=application, rule_id="PROJ-EXCL-EXPORTING", new_outcome="pass",
        reason="  輸出は単発のサンプル出荷のみで、継続的な輸出ではないことを電話で確認。 ",
        actor=staff)

    assert (override.rule_id, override.original_outcome, override.new_outcome) == (
        "PROJ-EXCL-EXPORTING", "review", "pass")
    assert override.reason == "輸出は単発のサンプル出荷のみで、継続的な輸出ではないことを電話で確認。"
    assert override.created_by == staff
    application.refresh_from_db()
    assert application.eligibility_outcome == "eligible"
    assert application.eligibility_result["engine_outcome"] == "review"
    assert application.eligibility_result["outcome"] == "eligible"
    finding = next(f for f in application.eligibility_result["findings"]
                   if f["rule_id"] == "PROJ-EXCL-EXPORTING")
    assert finding["outcome"] == "pass"
    assert application.eligibility_result["overrides"] == [{
        "id": override.pk, "rule_id": "PROJ-EXCL-EXPORTING", "original_outcome": "review",
        "new_outcome": "pass", "created_by": staff.pk,
        "created_at": override.created_at.isoformat(),
    }]
    (audit,) = eligibility_audits(application, "application.eligibility_overridden")
    assert audit.actor == staff
    assert audit.rule_ids == ["PROJ-EXCL-EXPORTING"]
    assert audit.note == override.reason
    assert audit.before == {"rule_id": "PROJ-EXCL-EXPORTING", "outcome": "review"}
    assert audit.after == {"rule_id": "PROJ-EXCL-EXPORTING", "outcome": "pass",
                           "override_id": override.pk}
    changed = eligibility_audits(application)
    assert [a.after["eligibility_outcome"] for a in changed] == ["review", "eligible"]
    assert changed[1].actor == staff


def test_the_newest_override_wins_and_history_is_kept(staff):
    application = answered(ApplicationFactory(), continuous_export_to_target=True)
    first = eligibility_finding_override(application=application,
                                         rule_id="PROJ-EXCL-EXPORTING", new_outcome="pass",
                                         reason="単発の出荷のみ", actor=staff)
    second = eligibility_finding_override(application=application,
                                          rule_id="PROJ-EXCL-EXPORTING", new_outcome="fail",
                                          reason="継続的な輸出の契約書を確認", actor=staff)

    assert application.eligibility_outcome == "ineligible"
    display = eligibility_for_display(application)
    row = next(r for r in display.findings if r.rule_id == "PROJ-EXCL-EXPORTING")
    assert (row.outcome, row.engine_outcome, row.override) == ("fail", "review", second)
    assert [(o.override, o.state) for o in display.overrides] == [
        (second, "applied"), (first, "superseded")]
    assert EligibilityOverride.objects.filter(application=application).count() == 2


def test_overriding_back_to_the_engine_outcome_undoes_an_override(staff):
    application = answered(ApplicationFactory(), continuous_export_to_target=True)
    eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                 new_outcome="fail", reason="確認の結果", actor=staff)
    assert application.eligibility_outcome == "ineligible"
    eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                 new_outcome="review", reason="取り消し", actor=staff)
    assert application.eligibility_outcome == "review"


def test_an_override_is_stale_once_the_answers_change_the_engine_outcome(staff):
    application = answered(ApplicationFactory(), continuous_export_to_target=True)
    override = eligibility_finding_override(
        application=application, rule_id="PROJ-EXCL-EXPORTING", new_outcome="fail",
        reason="継続的な輸出あり", actor=staff)
    answered(application, continuous_export_to_target=False)
    result = application_eligibility_refresh(application=application)

    assert result.finding_for("PROJ-EXCL-EXPORTING").outcome == "pass"
    assert result.outcome == "eligible"
    display = eligibility_for_display(application)
    assert [(o.override, o.state, o.state_label) for o in display.overrides] == [
        (override, "stale", "回答が変わったため適用していません")]


def test_size_overrides_set_the_size_category(staff):
    application = answered(ApplicationFactory(company__legal_form="group"))
    result = application_eligibility_refresh(application=application)
    assert (result.finding_for("SIZE-SME").outcome, result.size_category) == ("review", None)

    eligibility_finding_override(application=application, rule_id="SIZE-SME",
                                 new_outcome="pass", reason="構成員3社の決算書で確認",
                                 actor=staff)

    assert application.eligibility_result["size_category"] == "sme"
    assert application.eligibility_outcome == "eligible"
    assert eligibility_for_display(application).size_category_label == "中小企業"


@pytest.mark.parametrize("reason", ["", "   ", "\u3000\n"])
def test_an_override_needs_a_reason(staff, reason):
    application = answered(ApplicationFactory())
    with pytest.raises(ValidationError) as error:
        eligibility_finding_override(application=application, rule_id="EXP-B2B",
                                     new_outcome="fail", reason=reason, actor=staff)
    assert error.value.message_dict == {"reason": ["判定を変更する理由を入力してください。"]}
    assert not EligibilityOverride.objects.exists()
    assert not eligibility_audits(application, "application.eligibility_overridden")


def test_the_database_refuses_an_override_without_a_reason(staff):
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityOverride.objects.create(application=application, rule_id="EXP-B2B",
                                           original_outcome="pass", new_outcome="fail",
                                           reason="", created_by=staff)


def test_an_override_must_name_one_of_the_application_findings(staff):
    application = answered(ApplicationFactory(project_type="export"))
    for rule_id in ("BASE-AIM", "PROJ-EXCL-NOPROSPECT", "NOPE"):
        with pytest.raises(ValidationError) as error:
            eligibility_finding_override(application=application, rule_id=rule_id,
                                         new_outcome="fail", reason="理由", actor=staff)
        assert error.value.message_dict == {
            "rule_id": [f"この申込の判定に「{rule_id}」の項目はありません。"]}
    with pytest.raises(ValidationError) as error:
        eligibility_finding_override(application=application, rule_id="EXP-B2B",
                                     new_outcome="eligible", reason="理由", actor=staff)
    assert error.value.message_dict == {"new_outcome": ["変更後の判定を選んでください。"]}
    assert not EligibilityOverride.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COMMITTEE, Role.EXPERT])
def test_only_staff_may_override(role):
    application = answered(ApplicationFactory())
    user = application.applicant if role == Role.APPLICANT else UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        eligibility_finding_override(application=application, rule_id="EXP-B2B",
                                     new_outcome="fail", reason="理由", actor=user)
    assert not EligibilityOverride.objects.exists()


def test_admin_may_override():
    admin = UserFactory(is_superuser=True, is_staff=True)
    application = answered(ApplicationFactory())
    eligibility_finding_override(application=application, rule_id="EXP-B2B",
                                 new_outcome="fail", reason="BtoCの販売と確認", actor=admin)
    assert application.eligibility_outcome == "ineligible"


# --- display -----------------------------------------------------------------------------


def test_display_groups_findings_and_keeps_overrides_away_from_the_applicant(staff):
    application = answered(ApplicationFactory(company__regular_employees=2_001,
                                              company__capital_yen=500_000_000),
                           continuous_export_to_target=True, b2b=None)
    eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                 new_outcome="pass", reason="社内メモ: 単発の出荷", actor=staff)

    display = eligibility_for_display(application)

    assert display.outcome == "ineligible"
    assert display.outcome_label == "対象外"
    assert display.size_category is None
    assert [row.rule_id for row in display.blocking] == ["SIZE-MID"]
    assert display.review == []
    assert "PROJ-EXCL-EXPORTING" in [row.rule_id for row in display.passes]
    assert display.unanswered == ["B to B（取引先が企業）の案件である"]
    # The applicant sees the engine's own findings: the override and its reason are internal.
    assert [(f.rule_id, f.outcome) for f in display.applicant_notice_findings] == [
        ("SIZE-MID", "fail"), ("PROJ-EXCL-EXPORTING", "review")]
    data = display.as_dict()
    assert data["blocking"][0]["rule_id"] == "SIZE-MID"
    assert data["overrides"][0]["reason"] == "社内メモ: 単発の出荷"
    assert data["unanswered"] == ["B to B（取引先が企業）の案件である"]


def test_display_needs_two_queries(django_assert_num_queries, staff):
    application = answered(ApplicationFactory(), continuous_export_to_target=True)
    for reason in ("一", "二", "三"):
        eligibility_finding_override(application=application, rule_id="PROJ-EXCL-EXPORTING",
                                     new_outcome="pass", reason=reason, actor=staff)
    application = type(application).objects.select_related("company").get(pk=application.pk)
    with django_assert_num_queries(2):  # the answers; the overrides with their authors
        display = eligibility_for_display(application)
    assert [str(o.override.created_by) for o in display.overrides] == ["職員 一郎"] * 3
