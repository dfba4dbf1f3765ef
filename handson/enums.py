from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The groups a user can belong to; admin is Django's superuser flag."""

    APPLICANT = "applicant", _("応募企業")
    STAFF = "staff", _("ジェトロ職員")
    COMMITTEE = "committee", _("審査委員")
    EXPERT = "expert", _("専門家")


class MailStatus(models.TextChoices):
    PENDING = "pending", _("送信待ち")
    SENT = "sent", _("送信済み")
    FAILED = "failed", _("送信失敗")
    CANCELLED = "cancelled", _("取り消し")
