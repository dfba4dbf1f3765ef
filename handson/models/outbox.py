from django.db import models
from django.utils.translation import gettext_lazy as _

from handson.enums import MailStatus


class OutboundMail(models.Model):
    """A mail is a row before it is a task: nothing is lost while the broker is down."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    to = models.EmailField(_("宛先"))
    language = models.CharField(_("言語"), max_length=8, default="ja")
    template = models.CharField(_("テンプレート"), max_length=100)
    context = models.JSONField(_("差し込み内容"), default=dict, blank=True)
    subject = models.CharField(_("件名"), max_length=255)
    body_text = models.TextField(_("本文"))
    body_html = models.TextField(_("本文（HTML）"), blank=True)
    attachments = models.JSONField(
        _("添付ファイル"), default=list, blank=True,
        help_text=_("送信時に作成する添付ファイル（作成方法の名前と引数）。"))
    dedupe_key = models.CharField(_("重複防止キー"), max_length=200, unique=True)
    object_type = models.CharField(_("関連する対象"), max_length=100, blank=True)
    object_id = models.CharField(_("関連する対象ID"), max_length=64, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    next_attempt_at = models.DateTimeField(_("次回送信予定"), null=True, blank=True)
    last_error = models.TextField(_("最後のエラー"), blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
