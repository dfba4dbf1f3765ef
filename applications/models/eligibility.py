from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.eligibility import FINDING_OUTCOME_LABELS

FINDING_OUTCOME_CHOICES = list(FINDING_OUTCOME_LABELS.items())


class EligibilityOverride(models.Model):
    """A staff judgement replacing the engine's outcome of one finding (with a reason).

    Append-only: the newest row per (application, rule_id) wins, older rows stay as history.
    `original_outcome` is what the engine said when staff decided; an override whose
    original no longer matches the engine's current outcome is stale and not applied
    (applications/services/eligibility.py).
    """

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="eligibility_overrides",
                                    verbose_name=_("申込"))
    rule_id = models.CharField(_("規則ID"), max_length=32)
    original_outcome = models.CharField(_("判定（変更前）"), max_length=8,
                                        choices=FINDING_OUTCOME_CHOICES)
    new_outcome = models.CharField(_("判定（変更後）"), max_length=8,
                                   choices=FINDING_OUTCOME_CHOICES)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("変更した職員"))
    created_at = models.DateTimeField(_("変更日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("要件判定の変更")
        verbose_name_plural = _("要件判定の変更")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["application", "rule_id", "-created_at"],
                                name="elig_override_latest")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""),
                                   name="elig_override_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.original_outcome} → {self.new_outcome}"
