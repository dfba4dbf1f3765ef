from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    """募集回: one fiscal year's call, with the dates and limits the rules refer to."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    opens_on = models.DateField(_("受付開始日"))
    closes_on = models.DateField(_("受付終了日"))
    planned_count = models.PositiveIntegerField(_("予定件数"), help_text=_("INTAKE-CAP"))
    decisions_not_before = models.DateField(
        _("採否決定の最短日"), help_text=_("V.1(2): 採否の決定はこの日以降")
    )
    support_end_limit = models.DateField(_("支援期間の最終日"), help_text=_("PERIOD-END"))
    intake_closed = models.BooleanField(_("受付終了"), default=False)

    class Meta:
        verbose_name = _("募集回")
        verbose_name_plural = _("募集回")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: date) -> bool:
        return not self.intake_closed and self.opens_on <= day <= self.closes_on
