from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from support.enums import DeclinationChannel, EndKind, TerminationReason


class SupportCase(models.Model):
    """One adopted application's support: consent, kickoff, period and its end (V.1⑤, V.2)."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="support_case")
    consent_received_on = models.DateField(_("同意書（原本）の受領日"), null=True, blank=True)
    consent_received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+",
                                            verbose_name=_("受領者"))
    kickoff_on = models.DateField(_("キックオフミーティング"), null=True, blank=True)
    agreed_support = models.TextField(_("合意した支援内容"), blank=True)
    period_start = models.DateField(_("支援開始日"), null=True, blank=True)
    period_end = models.DateField(_("支援終了予定日"), null=True, blank=True,
                                  help_text=_("PERIOD-END: 募集回の最終日以前"))
    review_interval_days = models.PositiveSmallIntegerField(_("レビューの間隔（日）"), default=60)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    end_kind = models.CharField(_("終了の種類"), max_length=16, choices=EndKind.choices,
                                blank=True)
    termination_reason = models.CharField(_("途中終了の理由（社内用）"), max_length=8,
                                          choices=TerminationReason.choices, blank=True)
    internal_note = models.TextField(_("社内メモ（企業には表示しません）"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("支援案件")
        verbose_name_plural = _("支援案件")

    def __str__(self) -> str:
        return f"support of {self.application_id}"


class Declination(models.Model):
    """辞退届 (V.1(2)⑦): a company that declines after adoption."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="declination")
    channel = models.CharField(_("提出方法"), max_length=8, choices=DeclinationChannel.choices)
    reason = models.TextField(_("辞退の理由"), blank=True)
    signer_name = models.CharField(_("提出者（代表者）名"), max_length=100)
    submitted_on = models.DateField(_("提出日"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("辞退届")
        verbose_name_plural = _("辞退届")

    def __str__(self) -> str:
        return f"declination of {self.application_id}"
