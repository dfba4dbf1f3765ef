"""① document screening: assessments, the decision, DOCS-COMPLETE, audit rows."""

import pytest

from applications.enums import ApplicationStatus as S
from applications.models import Document, WebFormAnswers
from applications.services import workflow
from handson.models import AuditLog, OutboundMail
from screening.enums import SCORED_CRITERIA, Stage
from screening.models import Assessment, StageDecision
from screening.services.document_screening import (
    NoAssessment,
    ScreeningError,
    StageAlreadyDecided,
    assessment_save,
    bonus_prefill,
    document_screening_decide,
)
from tests.screening.factories_screening import complete_application, scores, staff_user

pytestmark = pytest.mark.django_db


def assess(application, reviewer, *, value=4, proposal="pass", notes="", bonuses=()):
    return assessment_save(application=application, stage=Stage.DOCUMENT, actor=reviewer,
                           scores=scores(value), bonuses=bonuses, notes=notes,
                           proposal=proposal)


def actions(application):
    return list(AuditLog.objects.filter(object_type="applications.application",
                                        object_id=str(application.pk))
                .order_by("created_at", "id").values_list("action", flat=True))


def test_first_assessment_starts_screening_and_is_audited():
    application, reviewer = complete_application(), staff_user()
    assessment = assess(application, reviewer, value=3, bonuses=["SEL-9", "SEL-7"],
                        notes="  財務基盤は十分  ")
    application.refresh_from_db()
    assert application.status == S.DOCUMENT_SCREENING
    assert assessment.scores == dict.fromkeys(SCORED_CRITERIA, 3)
    assert assessment.bonuses == ["SEL-7", "SEL-9"]
    assert assessment.notes == "財務基盤は十分"
    assert assessment.total == 21
    start = AuditLog.objects.get(action="application.document_screening_started")
    assert (start.actor, start.before, start.after) == (
        reviewer, {"status": "received"}, {"status": "document_screening"})
    created = AuditLog.objects.get(action="assessment.created")
    assert created.object_id == str(assessment.pk)
    assert created.after["proposal"] == "pass"
    assert created.rule_ids == [*SCORED_CRITERIA, "SEL-7", "SEL-9"]


def test_second_save_by_the_same_reviewer_updates_never_duplicates():
    application, reviewer = complete_application(), staff_user()
    first = assess(application, reviewer, value=2, proposal="fail")
    second = assess(application, reviewer, value=5, proposal="pass")
    assert first.pk == second.pk
    assert Assessment.objects.count() == 1
    row = Assessment.objects.get()
    assert (row.proposal, row.total) == ("pass", 35)
    updated = AuditLog.objects.get(action="assessment.updated")
    assert updated.before["proposal"] == "fail"
    assert updated.after["proposal"] == "pass"


def test_a_second_reviewer_adds_a_second_assessment():
    application = complete_application()
    one, two = staff_user(), staff_user()
    assess(application, one, proposal="pass")
    assess(application, two, proposal="fail")
    assert sorted(Assessment.objects.values_list("reviewer_id", "proposal")) == sorted(
        [(one.pk, "pass"), (two.pk, "fail")])
    assert actions(application) == ["application.document_screening_started"]


def test_scores_outside_1_to_5_are_refused():
    application = complete_application()
    with pytest.raises(ValueError):
        assessment_save(application=application, stage=Stage.DOCUMENT, actor=staff_user(),
                        scores=scores(6), bonuses=[], notes="", proposal="pass")
    with pytest.raises(KeyError):
        assessment_save(application=application, stage=Stage.DOCUMENT, actor=staff_user(),
                        scores={"SEL-1": 3}, bonuses=[], notes="", proposal="pass")
    assert Assessment.objects.count() == 0


def test_pass_keeps_the_status_until_the_interview_is_scheduled():
    application, lead = complete_application(), staff_user()
    assess(application, staff_user())
    decision = document_screening_decide(application=application, outcome="pass", actor=lead,
                                         note="面談へ")
    application.refresh_from_db()
    assert application.status == S.DOCUMENT_SCREENING
    assert (decision.stage, decision.outcome, decision.decided_by) == ("document", "pass", lead)
    passed = AuditLog.objects.get(action="application.document_screening_passed")
    assert passed.actor == lead
    assert passed.before == {"status": "document_screening"}
    assert passed.after == {"status": "document_screening", "document_screening": "pass"}
    assert passed.rule_ids == ["DOCS-COMPLETE"]
    assert passed.note == "面談へ"


def test_fail_rejects_with_the_criteria_and_sends_no_reason():
    application, lead = complete_application(), staff_user()
    assess(application, lead, proposal="fail", notes="市場ニーズが不明確")
    document_screening_decide(application=application, outcome="fail", actor=lead,
                              note="社内メモ：競合多数")
    application.refresh_from_db()
    assert application.status == S.REJECTED
    failed = AuditLog.objects.get(action="application.document_screening_failed")
    assert failed.before == {"status": "document_screening"}
    assert failed.after == {"status": "rejected"}
    assert failed.rule_ids == SCORED_CRITERIA
    for mail in OutboundMail.objects.all():  # only via queue_status_notice, never a note
        assert "競合多数" not in mail.body_text and "市場ニーズが不明確" not in mail.body_text


def test_pass_is_refused_while_documents_are_missing():
    application, lead = complete_application(financial_years=(2025, 2024)), staff_user()
    assess(application, lead)
    with pytest.raises(workflow.ApplicationIncomplete) as raised:
        document_screening_decide(application=application, outcome="pass", actor=lead)
    assert raised.value.missing == [
        "決算報告書（直近3カ年度分）がそろっていません（提出済み: 2年度分）。"
        "3カ年度分を提出できない場合は、その理由を連絡事項にご記入ください。"]
    application.refresh_from_db()
    assert application.status == S.DOCUMENT_SCREENING
    assert StageDecision.objects.count() == 0
    assert not AuditLog.objects.filter(action="application.document_screening_passed").exists()


def test_missing_documents_fail_with_docs_complete():
    application, lead = complete_application(product_url=""), staff_user()
    assess(application, lead, proposal="fail")
    document_screening_decide(application=application, outcome="fail", actor=lead)
    failed = AuditLog.objects.get(action="application.document_screening_failed")
    assert failed.rule_ids == ["DOCS-COMPLETE"]


def test_short_financial_history_with_a_reason_may_pass():
    application = complete_application(financial_years=(2025,),
                                       contact_notes="2024年創業のため1期分のみです。")
    lead = staff_user()
    assess(application, lead)
    document_screening_decide(application=application, outcome="pass", actor=lead)
    assert StageDecision.objects.get().outcome == "pass"


def test_decision_needs_an_assessment_and_happens_once():
    application, lead = complete_application(status=S.DOCUMENT_SCREENING), staff_user()
    with pytest.raises(NoAssessment):
        document_screening_decide(application=application, outcome="pass", actor=lead)
    assess(application, lead)
    document_screening_decide(application=application, outcome="pass", actor=lead)
    with pytest.raises(StageAlreadyDecided):
        document_screening_decide(application=application, outcome="fail", actor=lead)
    with pytest.raises(StageAlreadyDecided):
        assess(application, lead, value=1)
    assert StageDecision.objects.count() == 1
    assert Assessment.objects.get().total == 28


def test_assessments_only_while_the_stage_is_open():
    for status in (S.AWAITING_DOCUMENTS, S.WITHDRAWN, S.INTERVIEWED):
        application = complete_application(status=status)
        with pytest.raises(ScreeningError):
            assess(application, staff_user())
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, []),
        ({"trade_fair_plan": "2026年10月 CES出展"}, ["SEL-7"]),
        ({"designations": ["j_startup"]}, ["SEL-8"]),
        ({"regional_revitalization": True}, ["SEL-8"]),
        ({"subsidies_received": "ものづくり補助金（2024年度）"}, ["SEL-9"]),
        ({"trade_fair_plan": "展示会", "designations": ["x"], "subsidies_received": "補助金"},
         ["SEL-7", "SEL-8", "SEL-9"]),
        ({"trade_fair_plan": "   "}, []),
    ],
)
def test_bonus_prefill_from_the_web_form(answers, expected):
    application = complete_application(answers=answers)
    assert bonus_prefill(application) == expected


def test_bonus_prefill_without_answers():
    application = complete_application()
    WebFormAnswers.objects.filter(application=application).delete()
    Document.objects.filter(application=application).delete()
    application.refresh_from_db()
    assert bonus_prefill(application) == []
