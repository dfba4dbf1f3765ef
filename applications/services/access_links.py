"""Signed personal links to the WEB form (FORM-AUTOREPLY).

The applicant has no password: the automatic reply mail carries a link that logs in the
applicant account of exactly one application. The token is a django.core.signing value
(HMAC with SECRET_KEY, own salt, timestamped) holding the application's public_id and the
applicant user's id; it expires 30 days after it was issued or at the end of the call's
last intake day (Asia/Tokyo), whichever comes first. "Mail me my link again" issues a fresh
one (`access_links_resend`).
"""

import hashlib
import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from handson.outbox import mail_queue

logger = logging.getLogger(__name__)

SALT = "applications.access-link.v1"
LINK_VALIDITY = timedelta(days=30)
TOKYO = ZoneInfo("Asia/Tokyo")
# "Mail me my link again": one mail per application per 5-minute bucket, and at most
# RESEND_LIMIT requests per address per hour (silently ignored beyond that).
RESEND_BUCKET_SECONDS = 5 * 60
RESEND_LIMIT = 3
RESEND_WINDOW_SECONDS = 60 * 60
# Applications for which a link still makes sense (the applicant can still act or look).
CLOSED_STATUSES = {S.WITHDRAWN, S.REJECTED, S.COMPLETED, S.TERMINATED, S.DECLINED}


class AccessLinkError(Exception):
    """The link cannot be used; `reason` is "expired" or "invalid"."""

    reason = "invalid"


class AccessLinkExpired(AccessLinkError):
    reason = "expired"


class AccessLinkInvalid(AccessLinkError):
    reason = "invalid"


def access_token_for(application: Application) -> str:
    payload = {"a": application.public_id.hex, "u": application.applicant_id}
    return signing.dumps(payload, salt=SALT, compress=True)


def access_url(application: Application, token: str | None = None) -> str:
    token = token or access_token_for(application)
    return settings.SITE_URL + reverse("applications:access", kwargs={"token": token})


def call_end(application: Application) -> datetime:
    """The end of the call's last intake day in Tokyo (the first instant after it)."""
    day_after = application.call.closes_on + timedelta(days=1)
    return datetime.combine(day_after, time.min, tzinfo=TOKYO)


def intake_deadline(application: Application) -> datetime | None:
    """While the WEB form is open, links end with the call's intake. A received application
    is followed through selection and support (status, notices, consent, surveys) until
    2027-02-28 and after, so only the 30-day validity of each link applies then."""
    if application.status == S.AWAITING_DOCUMENTS:
        return call_end(application)
    return None


def link_expires_at(application: Application, issued_at: datetime | None = None) -> datetime:
    """issued + 30 days, and no later than the intake deadline while that applies."""
    expires = (issued_at or timezone.now()) + LINK_VALIDITY
    deadline = intake_deadline(application)
    return min(expires, deadline) if deadline else expires


def resolve_access_token(token: str) -> Application:
    """The application the token belongs to, or AccessLinkExpired / AccessLinkInvalid."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_VALIDITY)
    except signing.SignatureExpired as exc:
        raise AccessLinkExpired("link older than 30 days") from exc
    except signing.BadSignature as exc:
        raise AccessLinkInvalid("bad signature") from exc
    if not isinstance(payload, dict) or not {"a", "u"} <= payload.keys():
        raise AccessLinkInvalid("malformed payload")
    application = (
        Application.objects.select_related("call", "company", "applicant")
        .filter(public_id=payload["a"], applicant_id=payload["u"]).first()
    )
    if application is None or not application.applicant.is_active:
        raise AccessLinkInvalid("unknown application or applicant")
    if not _reachable(application, timezone.now()):
        raise AccessLinkExpired("the call's intake has ended")
    return application


def link_context(application: Application) -> dict:
    """What the mails need to show the link (JSON-serialisable, for the outbox row)."""
    expires = timezone.localtime(link_expires_at(application), TOKYO)
    return {
        "access_url": access_url(application),
        "link_expires": f"{expires.year}年{expires.month}月{expires.day}日 {expires:%H:%M}",
        "link_resend_url": settings.SITE_URL + reverse("applications:link_resend"),
    }


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _resend_allowed(email: str) -> bool:
    """At most RESEND_LIMIT requests per address and hour (counted in the cache)."""
    key = f"access-resend:{_address_key(email)}"
    cache.add(key, 0, timeout=RESEND_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESEND_WINDOW_SECONDS)
        count = 1
    return count <= RESEND_LIMIT


def open_applications_for(email: str):
    now = timezone.now()
    return [
        app for app in Application.objects.select_related("call", "company", "applicant")
        .filter(contact_email__iexact=email.strip()).exclude(status__in=CLOSED_STATUSES)
        if app.applicant.is_active and _reachable(app, now)
    ]


def _reachable(application: Application, now: datetime) -> bool:
    deadline = intake_deadline(application)
    return deadline is None or now < deadline


def access_links_resend(*, actor=None, email: str) -> int:
    """Queue a mail with a fresh link for each open application of `email`.

    Returns how many mails were queued (0 for an unknown or rate-limited address); the
    caller must answer the same in every case, so nobody learns which addresses exist.
    """
    if not email or not _resend_allowed(email):
        return 0
    bucket = int(timezone.now().timestamp()) // RESEND_BUCKET_SECONDS
    queued = 0
    with transaction.atomic():
        for application in open_applications_for(email):
            mail_queue(
                to=application.contact_email,
                template="access_link",
                context={
                    "company_name": application.company.name,
                    "contact_name": application.contact_name,
                    "product_name": application.product_name,
                    "call_title": application.call.title,
                    **link_context(application),
                },
                dedupe_key=f"access_link:{application.pk}:{bucket}",
                related=application,
            )
            queued += 1
    if queued:
        logger.info("access link resent for %d application(s)", queued)
    return queued
