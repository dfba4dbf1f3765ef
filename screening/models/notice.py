from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ADOPTION = "adoption", _("採択の通知")
    REJECTION = "rejection", _("不採択の通知")
    NO_MATCH = "no_match", _("専門家のマッチング不成立の通知")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SENT = "sent", _("送信済み")
    WITHDRAWN = "withdrawn", _("取り下げ")


class Notice(models.Model):
    """⑤⑥ The decision notice to one applicant: drafted at the committee's close, edited and
    sent by staff through the outbox. Never carries reasons (V.1(2)⑥).

    One live notice per application and kind: a withdrawn one (the decision was reversed)
    makes room for a new one.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="notices", verbose_name=_("申込"))
    kind = models.CharField(_("種類"), max_length=16, choices=NoticeKind.choices)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    status = models.CharField(_("状態"), max_length=16, choices=NoticeStatus.choices,
                              default=NoticeStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("作成者"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    mail = models.ForeignKey("handson.OutboundMail", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("送信メール"))

    class Meta:
        verbose_name = _("採否の通知")
        verbose_name_plural = _("採否の通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], condition=~models.Q(status="withdrawn"),
                name="one_live_notice_per_application_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} ({self.status})"
