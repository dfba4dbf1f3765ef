from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """An expert assigned to an application. History stays: a replacement ends the row."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="expert_assignments")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT,
                               related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("担当開始"), auto_now_add=True)
    ended_at = models.DateTimeField(_("担当終了"), null=True, blank=True)
    end_reason = models.TextField(_("交替・終了の理由"), blank=True)
    match_score = models.IntegerField(_("マッチング点数"), null=True, blank=True)
    match_reasons = models.JSONField(_("マッチングの理由"), default=list, blank=True)

    class Meta:
        verbose_name = _("専門家の担当")
        verbose_name_plural = _("専門家の担当")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=models.Q(ended_at=None),
                                    name="one_current_expert_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"
