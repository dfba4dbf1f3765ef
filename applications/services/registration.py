"""The online registration (IV.2(1)①) under the 2-hour rule, and its completion.

FORM-TIMEOUT: a `RegistrationDraft` is created at the first step and lives exactly 2 hours,
counted on the server. At or after `expires_at` it is deleted with everything typed — on the
applicant's next request (`registration_discard`) and by the periodic task
(`registration_purge_expired`). FORM-AUTOREPLY: `registration_complete` creates the company,
the applicant account and the application in one transaction and queues the automatic reply
mail with the personal link to the WEB form.
"""

import math
import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.countries import country_name
from applications.enums import PREFECTURES, Industry, LegalForm, ProjectType, SpecialIndustry
from applications.intake import intake_state
from applications.models import Application, Call, Company, RegistrationDraft, WebFormAnswers
from applications.services.access_links import link_context
from applications.services.eligibility import application_eligibility_refresh
from handson.audit import audit_record
from handson.enums import Role
from handson.models import AuditLog, User
from handson.outbox import mail_queue

REGISTRATION_LIMIT = timedelta(hours=2)  # FORM-TIMEOUT
SECTIONS = ("company", "contact", "project")


class RegistrationError(Exception):
    """The registration cannot go on; `reason` tells the view which page to show."""

    reason = "error"


class RegistrationExpired(RegistrationError):
    reason = "expired"


class RegistrationGone(RegistrationError):
    """No such draft (already completed, purged, or never started)."""

    reason = "gone"


class IntakeClosed(RegistrationError):
    reason = "intake_closed"

    def __init__(self, state):
        super().__init__(state.reason)
        self.state = state


def is_expired(draft: RegistrationDraft, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= draft.expires_at


def remaining_seconds(draft: RegistrationDraft, now: datetime | None = None) -> int:
    """Whole seconds left, rounded up: a countdown that reaches 0 is never early."""
    return max(0, math.ceil((draft.expires_at - (now or timezone.now())).total_seconds()))


def registration_start(*, call: Call | None, session_key: str) -> RegistrationDraft:
    """Start the 2-hour clock (FORM-TIMEOUT). Refused when intake is closed (INTAKE-CAP)."""
    state = intake_state(call)
    if not state.open:
        raise IntakeClosed(state)
    now = timezone.now()
    return RegistrationDraft.objects.create(
        call=call, session_key=session_key, started_at=now, expires_at=now + REGISTRATION_LIMIT,
        data={}, step=1,
    )


def registration_save_step(*, draft: RegistrationDraft, section: str, values: dict,
                           reached: int) -> RegistrationDraft:
    """Keep what was typed for one section; `reached` is the furthest step opened so far."""
    if section not in SECTIONS:
        raise ValueError(section)
    with transaction.atomic():
        locked = RegistrationDraft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:
            raise RegistrationGone()
        if is_expired(locked):
            _discard(locked)
            raise RegistrationExpired()
        locked.data = {**locked.data, section: values}
        locked.step = max(locked.step, reached)
        locked.save(update_fields=["data", "step"])
    return locked


def _discard(draft: RegistrationDraft) -> None:
    audit_record(actor=None, action="registration.expired", object_type=draft._meta.label_lower,
                 object_id=str(draft.public_id),
                 after={"started_at": draft.started_at.isoformat(),
                        "expires_at": draft.expires_at.isoformat()},
                 rule_ids=["FORM-TIMEOUT"], note="入力途中のデータを消去しました。")
    draft.delete()


def registration_discard(*, draft: RegistrationDraft) -> None:
    """Erase an expired draft now (the applicant came back after the 2 hours)."""
    with transaction.atomic():
        locked = RegistrationDraft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is not None:
            _discard(locked)


def registration_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every draft whose 2 hours are over (Celery beat); returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for draft in RegistrationDraft.objects.select_for_update(skip_locked=True).filter(
            expires_at__lte=now
        ):
            _discard(draft)
            count += 1
    return count


def _username() -> str:
    return f"applicant-{uuid.uuid4().hex}"


def _applicant_create(email: str, display_name: str) -> User:
    """One account per application, no password: the signed link is the only way in.

    User.email is unique (case-insensitive) across all accounts; when the address already
    belongs to another account (a second application, or a staff member testing), this
    account keeps the e-mail blank — the application's contact_email is the mail channel.
    """
    taken = User.objects.filter(email__iexact=email).exists()
    user = User(username=_username(), email="" if taken else email, display_name=display_name)
    user.set_unusable_password()
    try:
        with transaction.atomic():  # savepoint: a parallel registration may take the address
            user.save()
    except IntegrityError:
        user.email = ""
        user.save()
    group, _ = Group.objects.get_or_create(name=Role.APPLICANT.value)
    user.groups.add(group)
    return user


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else ""


def summary_sections(company: dict, contact: dict,
                     project: dict) -> list[tuple[str, list[list[str]]]]:
    """What was registered, by step, as label/value pairs (confirmation page, auto-reply)."""
    capital = company.get("capital_yen")
    countries = [country_name(c) for c in project.get("target_countries", [])]
    return [
        ("会社の情報", [
            ["企業名", company["name"]],
            ["企業名（フリガナ）", company["name_kana"]],
            ["法人番号", company.get("corporate_number") or "（なし）"],
            ["組織形態", _label(LegalForm.choices, company["legal_form"])],
            ["郵便番号", f"{company['postal_code'][:3]}-{company['postal_code'][3:]}"],
            ["都道府県", _label(PREFECTURES, company["prefecture"])],
            ["住所", company["address"]],
            ["代表者名", company["representative"]],
            ["主たる業種", _label(Industry.choices, company["industry"])],
            ["政令で定める業種",
             _label(SpecialIndustry.choices, company.get("special_industry")) or "該当なし"],
            ["資本金", f"{capital:,}円" if capital is not None else "（なし）"],
            ["常時使用する従業員数", f"{company['regular_employees']:,}人"],
            ["ウェブサイト", company.get("website") or "（なし）"],
        ]),
        ("ご担当者の情報", [
            ["ご担当者名", contact["contact_name"]],
            ["部署名・役職", contact.get("contact_department") or "（なし）"],
            ["メールアドレス", contact["contact_email"]],
            ["電話番号", contact["contact_phone"]],
        ]),
        ("プロジェクトの概要", [
            ["プロジェクトの種類", _label(ProjectType.choices, project["project_type"])],
            ["対象国・地域（優先順）", "、".join(
                f"第{i}希望 {name}" for i, name in enumerate(countries, start=1))],
            ["米国関税措置への対応", "はい" if project.get("us_tariff_response") else "いいえ"],
            ["対象製品・サービス名", project["product_name"]],
            ["製品・サービスのURL", project.get("product_url") or "（なし）"],
        ]),
    ]


def registration_summary(company: dict, contact: dict, project: dict) -> list[list[str]]:
    return [item for _title, items in summary_sections(company, contact, project)
            for item in items]


def registration_result(*, draft_public_id) -> Application | None:
    """The application a finished draft became (found through its audit entry), if any.

    A double click on 「登録する」 or a second tab finds the draft gone; this tells "done"
    apart from "timed out", so that request can show the done page too.
    """
    entry = (AuditLog.objects.filter(action="application.registered",
                                     object_type="applications.application",
                                     after__draft=str(draft_public_id))
             .only("object_id").first())
    if entry is None:
        return None
    return Application.objects.select_related("company").filter(pk=entry.object_id).first()


def registration_complete(*, draft_id: int, company: dict, contact: dict,
                          project: dict) -> Application:
    """Finish the registration: Company, applicant User, Application, WebFormAnswers.

    One transaction: the draft row is locked first, so a double click creates one
    application; an expired draft (FORM-TIMEOUT) or a closed intake (INTAKE-CAP) creates
    nothing. The auto-reply (FORM-AUTOREPLY) is an outbox row sent after commit.
    `company`/`contact`/`project` are the cleaned data of the three steps.
    """
    with transaction.atomic():
        draft = (RegistrationDraft.objects.select_for_update().select_related("call")
                 .filter(pk=draft_id).first())
        if draft is None:
            raise RegistrationGone()
        if is_expired(draft):
            _discard(draft)
            raise RegistrationExpired()
        state = intake_state(draft.call)
        if not state.open:
            raise IntakeClosed(state)

        company_row = Company.objects.create(
            name=company["name"], name_kana=company["name_kana"],
            corporate_number=company.get("corporate_number") or "",
            legal_form=company["legal_form"], postal_code=company["postal_code"],
            prefecture=company["prefecture"], address=company["address"],
            representative=company["representative"], industry=company["industry"],
            special_industry=company.get("special_industry") or "",
            capital_yen=company.get("capital_yen"),
            regular_employees=company["regular_employees"],
            website=company.get("website") or "",
        )
        user = _applicant_create(contact["contact_email"], contact["contact_name"])
        # Created in its first state (awaiting_documents is the model default): this is a
        # creation, not a transition, so workflow.py is not involved.
        application = Application.objects.create(
            call=draft.call, company=company_row, applicant=user,
            contact_name=contact["contact_name"],
            contact_department=contact.get("contact_department") or "",
            contact_email=contact["contact_email"], contact_phone=contact["contact_phone"],
            project_type=project["project_type"],
            target_countries=list(project["target_countries"]),
            us_tariff_response=bool(project.get("us_tariff_response")),
            product_name=project["product_name"], product_url=project.get("product_url") or "",
        )
        WebFormAnswers.objects.create(application=application)
        application_eligibility_refresh(application=application, actor=None)  # issue #3
        audit_record(
            actor=user, action="application.registered", obj=application,
            after={"status": application.status, "call": draft.call.fiscal_year,
                   "company": company_row.pk, "draft": str(draft.public_id),
                   "registration_started_at": draft.started_at.isoformat()},
            rule_ids=["FORM-TIMEOUT", "FORM-AUTOREPLY"],
        )
        summary = registration_summary(company, contact, project)
        draft.delete()
        call = draft.call
        mail_queue(
            to=application.contact_email,
            template="autoreply",
            context={
                "company_name": company_row.name,
                "contact_name": application.contact_name,
                "call_title": call.title,
                "closes_on": f"{call.closes_on.year}年{call.closes_on.month}月"
                             f"{call.closes_on.day}日",
                "summary": summary,
                **link_context(application),
            },
            dedupe_key=f"autoreply:{application.pk}",
            related=application,
        )
    return application
