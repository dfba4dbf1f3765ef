from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from screening.enums import Proposal, Stage


class Assessment(models.Model):
    """One reviewer's scores, notes and proposal for one stage (① documents, ② interview)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="assessments")
    stage = models.CharField(_("審査段階"), max_length=16, choices=Stage.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("審査者"))
    scores = models.JSONField(_("評点（SEL-1〜6, SEL-10: 1〜5）"), default=dict)
    bonuses = models.JSONField(_("加点項目（SEL-7〜9）"), default=list, blank=True)
    notes = models.TextField(_("所見"), blank=True)
    proposal = models.CharField(_("提案"), max_length=8, choices=Proposal.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("審査評価")
        verbose_name_plural = _("審査評価")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["application", "stage", "reviewer"],
                                               name="one_assessment_per_reviewer_and_stage")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.reviewer_id}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())


class StageDecision(models.Model):
    """The lead's decision that closes a stage: pass → next stage, fail → rejected."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="stage_decisions")
    stage = models.CharField(_("審査段階"), max_length=16, choices=Stage.choices)
    outcome = models.CharField(_("決定"), max_length=8, choices=Proposal.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    note = models.TextField(_("決定理由（社内用）"), blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("審査段階の決定")
        verbose_name_plural = _("審査段階の決定")
        constraints = [models.UniqueConstraint(fields=["application", "stage"],
                                               name="one_decision_per_stage")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage}: {self.outcome}"
