from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from support.enums import ActivityKind, CancellationCause, CostBearer, TripStatus


class Activity(models.Model):
    """What the expert (or JETRO) did for the company: visits, meetings, advice, referrals."""

    case = models.ForeignKey("support.SupportCase", on_delete=models.CASCADE,
                             related_name="activities")
    expert = models.ForeignKey("experts.Expert", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="activities")
    kind = models.CharField(_("種類"), max_length=16, choices=ActivityKind.choices)
    date = models.DateField(_("実施日"))
    participants = models.CharField(_("参加者"), max_length=300, blank=True)
    summary = models.TextField(_("内容（企業にも表示されます）"))
    internal_note = models.TextField(_("社内メモ（企業には表示しません）"), blank=True)
    referral_service = models.CharField(_("取り次いだサービス"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支援活動")
        verbose_name_plural = _("支援活動")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Trip(models.Model):
    """An overseas trip the expert accompanies (II.3, II.4).

    The first accompanied trip is at JETRO's cost; the 2nd and later need the company's
    advance confirmation of its share before they can be planned.
    """

    case = models.ForeignKey("support.SupportCase", on_delete=models.CASCADE,
                             related_name="trips")
    expert = models.ForeignKey("experts.Expert", null=True, on_delete=models.SET_NULL,
                               related_name="trips")
    sequence = models.PositiveSmallIntegerField(_("何回目の同行か"))
    destination = models.CharField(_("行き先"), max_length=200)
    country = models.CharField(_("国・地域（ISOコード）"), max_length=2, blank=True)
    start_on = models.DateField(_("出発日"))
    end_on = models.DateField(_("帰国日"))
    purpose = models.TextField(_("目的"), blank=True)
    status = models.CharField(_("状態"), max_length=16, choices=TripStatus.choices,
                              default=TripStatus.PROPOSED)
    company_share_note = models.CharField(_("企業負担分の内容"), max_length=300, blank=True)
    company_share_confirmed_at = models.DateTimeField(_("企業負担分の事前確認日時"), null=True,
                                                      blank=True)
    company_share_confirmed_by = models.CharField(_("確認した企業側の担当者"), max_length=100,
                                                  blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_cause = models.CharField(_("キャンセルの原因"), max_length=16,
                                          choices=CancellationCause.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("海外出張同行")
        verbose_name_plural = _("海外出張同行")
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"],
                                               name="trip_sequence_once_per_case")]

    def __str__(self) -> str:
        return f"trip {self.sequence} to {self.destination}"


class TripCost(models.Model):
    """A cost item of a trip and who bears it (II.3/II.4)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="costs")
    description = models.CharField(_("内容"), max_length=200)
    amount_yen = models.PositiveIntegerField(_("金額（円）"))
    bearer = models.CharField(_("負担者"), max_length=8, choices=CostBearer.choices)
    is_cancellation = models.BooleanField(_("キャンセル費用"), default=False)
    is_force_majeure = models.BooleanField(_("不可抗力によるもの"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("出張費用")
        verbose_name_plural = _("出張費用")

    def __str__(self) -> str:
        return f"{self.description} ¥{self.amount_yen:,}"
