"""Demo data of the support lifecycle (registered in apps.py): a few companies brought
through adoption into each state of the support — adopted, consent received, in support
(with activities), completed, terminated (TERM-7) and declined.

Everything goes through the public service and workflow functions (the audit log and the
outbox fill as in real use); only the very first step (all documents in → received) uses
the state machine's `transition`, as the demo companies upload no documents. Idempotent:
a company is found by its name in the call and only moved on from where it stands.
"""

from datetime import timedelta

from django.utils import timezone

from applications.demo import seed_call
from applications.enums import ApplicationStatus as S
from applications.enums import Industry, LegalForm, ProjectType
from applications.models import Application, Company
from applications.services import workflow
from handson.demo import DEMO_PASSWORD
from handson.enums import Role
from handson.models import User
from handson.roles import role_group
from support.enums import ActivityKind, DeclinationChannel
from support.models import Activity
from support.services import lifecycle

DEMO_NOTE = "デモデータ"
INTERNAL_NOTE = "（デモ）専門家の助言に反し、事前の相談なく代理店と独占契約を結ぶことが続いたため。"

# (company, kana, product, countries, target state)
DEMO_COMPANIES = [
    ("デモ もみじ酒造株式会社", "デモ モミジシュゾウ", "純米吟醸酒", ["US"], S.ADOPTED),
    ("デモ さくら精工株式会社", "デモ サクラセイコウ", "精密切削工具", ["US"], S.CONSENT_RECEIVED),
    ("デモ かえで食品株式会社", "デモ カエデショクヒン", "冷凍和菓子", ["US", "CA"], S.IN_SUPPORT),
    ("デモ ひのき工芸株式会社", "デモ ヒノキコウゲイ", "木製インテリア雑貨", ["US"], S.COMPLETED),
    ("デモ すずらん商事株式会社", "デモ スズランショウジ", "業務用調理器具", ["US"], S.TERMINATED),
    ("デモ つばき化粧品株式会社", "デモ ツバキケショウヒン", "椿油スキンケア", ["US"], S.DECLINED),
]
ORDER = [S.AWAITING_DOCUMENTS, S.RECEIVED, S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED,
         S.INTERVIEWED, S.MATCHING, S.COMMITTEE_REVIEW, S.ADOPTED, S.CONSENT_RECEIVED,
         S.IN_SUPPORT]


def _applicant(index: int) -> User:
    user, created = User.objects.get_or_create(
        username=f"support-demo{index}",
        defaults={"email": f"support-demo{index}@example.jp",
                  "display_name": f"支援デモ 担当者{index}"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(role_group(Role.APPLICANT))
    return user


def _application(index: int, call, name: str, kana: str, product: str, countries,
                 staff) -> Application:
    found = Application.objects.filter(call=call, company__name=name).first()
    if found is not None:
        return found
    company = Company.objects.create(
        name=name, name_kana=kana, legal_form=LegalForm.COMPANY, postal_code="1076006",
        prefecture="13", address="東京都港区赤坂1-12-32", representative=f"代表 太郎{index}",
        industry=Industry.MANUFACTURING_OTHER, capital_yen=30_000_000, regular_employees=40)
    applicant = _applicant(index)
    return Application.objects.create(
        call=call, company=company, applicant=applicant, contact_name=f"担当 花子{index}",
        contact_email=applicant.email, contact_phone="03-3582-8333",
        project_type=ProjectType.EXPORT, target_countries=list(countries),
        product_name=product, staff_in_charge=staff)


def _match(application: Application, staff) -> None:
    """③ through the experts room when an expert can take the company, else by hand."""
    from experts.models import Expert
    from experts.services import AssignmentError, assignment_confirm

    for expert in Expert.objects.filter(is_active=True).order_by("user_id", "pk"):
        try:
            assignment_confirm(application=application, expert=expert, actor=staff,
                               score=None, reasons=[DEMO_NOTE])
            return
        except AssignmentError:
            continue
    workflow.matching_skip_to_committee(application=application, actor=staff, note=DEMO_NOTE)


def _step(application: Application, target: str, staff) -> None:
    today = timezone.localdate()
    limit = application.call.support_end_limit
    status = application.status
    if status == S.AWAITING_DOCUMENTS:
        workflow.transition(application, S.RECEIVED, actor=staff, action="application.received",
                            rule_ids=["DOCS-COMPLETE"], note=DEMO_NOTE,
                            extra_fields={"received_at": timezone.now() - timedelta(days=90)})
    elif status == S.RECEIVED:
        workflow.screening_start(application=application, actor=staff)
    elif status == S.DOCUMENT_SCREENING:
        workflow.interview_mark_scheduled(application=application, actor=staff)
    elif status == S.INTERVIEW_SCHEDULED:
        workflow.interview_mark_held(application=application, actor=staff)
    elif status == S.INTERVIEWED:
        workflow.interview_decide(application=application, outcome=workflow.SCREENING_PASS,
                                  actor=staff, note=DEMO_NOTE)
    elif status == S.MATCHING:
        _match(application, staff)
    elif status == S.COMMITTEE_REVIEW:
        workflow.committee_adopt(application=application, actor=staff, note=DEMO_NOTE)
    elif status == S.ADOPTED and target == S.DECLINED:
        lifecycle.support_decline(application=application, channel=DeclinationChannel.ONLINE,
                                  signer_name=application.company.representative,
                                  reason="社内の体制が整わないため、今年度の利用を見送ります。",
                                  submitted_on=today, actor=application.applicant)
    elif status == S.ADOPTED:
        lifecycle.support_consent_receive(application=application, actor=staff,
                                          received_on=today - timedelta(days=75))
    elif status == S.CONSENT_RECEIVED:
        ended = target in (S.COMPLETED, S.TERMINATED)
        start = today - timedelta(days=60 if ended else 30)
        end = today - timedelta(days=1) if target == S.COMPLETED else min(
            limit, today + timedelta(days=120))
        lifecycle.support_start(
            application=application, actor=staff, kickoff_on=start, period_start=start,
            period_end=end,
            agreed_support="米国の代理店候補の選定と商談準備、展示会出展の計画づくりを支援します。")
        case = application.support_case
        Activity.objects.create(case=case, kind=ActivityKind.VISIT,
                                date=start + timedelta(days=7),
                                summary="代理店候補10社のリストを確認し、優先順位を決めました。",
                                internal_note="（デモ）社長の意欲は高い。", recorded_by=staff)
        Activity.objects.create(case=case, kind=ActivityKind.ONLINE,
                                date=start + timedelta(days=21),
                                summary="英文の製品説明資料の構成を助言しました。",
                                recorded_by=staff)
    elif status == S.IN_SUPPORT and target == S.COMPLETED:
        lifecycle.support_complete(application=application, actor=staff,
                                   ended_on=application.support_case.period_end)
    elif status == S.IN_SUPPORT and target == S.TERMINATED:
        lifecycle.support_terminate(application=application, reason_code="TERM-7",
                                    internal_note=INTERNAL_NOTE, actor=staff,
                                    ended_on=today - timedelta(days=2))
    else:
        raise RuntimeError(f"demo: no step from {status} to {target}")


def _reached(status: str, target: str) -> bool:
    if status == target:
        return True
    if status in ORDER and target in ORDER:
        return ORDER.index(status) >= ORDER.index(target)
    return status not in ORDER  # an end state: nothing more to do


def seed() -> list[str]:
    call = seed_call()
    staff = User.objects.filter(username="staff").first()
    if staff is None or timezone.localdate() + timedelta(days=1) > call.support_end_limit:
        return ["支援のデモデータ: 作成しませんでした（職員アカウントがないか、支援期間の最終日を過ぎています）"]
    lines = ["支援のデモデータ（職員 /staff/support/、企業 /my/applications/…/support/）:"]
    for index, (name, kana, product, countries, target) in enumerate(DEMO_COMPANIES, 1):
        application = _application(index, call, name, kana, product, countries, staff)
        for _ in range(len(ORDER) + 2):
            if _reached(application.status, target):
                break
            _step(application, target, staff)
            application = Application.objects.select_related("call", "company").get(
                pk=application.pk)
        lines.append(f"  {name}: {application.get_status_display()}"
                     f"（企業アカウント {application.applicant.username} / {DEMO_PASSWORD}）")
    return lines
