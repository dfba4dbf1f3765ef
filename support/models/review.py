from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from support.enums import ReviewDecision, SurveyKind


class Review(models.Model):
    """JETRO's periodic review of a support case (V.2)."""

    case = models.ForeignKey("support.SupportCase", on_delete=models.CASCADE,
                             related_name="reviews")
    held_on = models.DateField(_("実施日"))
    findings = models.TextField(_("所見"))
    decision = models.CharField(_("結論"), max_length=16, choices=ReviewDecision.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支援レビュー")
        verbose_name_plural = _("支援レビュー")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"review {self.held_on}"


class Survey(models.Model):
    """A progress or outcome questionnaire the company answers (REPORT-CONSENT)."""

    case = models.ForeignKey("support.SupportCase", on_delete=models.CASCADE,
                             related_name="surveys")
    kind = models.CharField(_("種類"), max_length=16, choices=SurveyKind.choices)
    due_on = models.DateField(_("回答期限"))
    answers = models.JSONField(_("回答"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("報告・アンケート")
        verbose_name_plural = _("報告・アンケート")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"
