from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("AuditLog is append-only")

    def delete(self):
        raise TypeError("AuditLog is append-only")


class AuditLog(models.Model):
    """Append-only record of every state change: who, what, when, which rule."""

    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("対象の種類"), max_length=100)
    object_id = models.CharField(_("対象ID"), max_length=64)
    before = models.JSONField(_("変更前"), default=dict, blank=True)
    after = models.JSONField(_("変更後"), default=dict, blank=True)
    rule_ids = models.JSONField(_("根拠となる規定"), default=list, blank=True)
    note = models.TextField(_("メモ"), blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("AuditLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("AuditLog is append-only")
