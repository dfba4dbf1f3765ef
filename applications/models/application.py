import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus, ProjectType


class Application(models.Model):
    """One company's application to one call; `status` is the spine (services/workflow.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey("applications.Call", on_delete=models.PROTECT,
                             related_name="applications", verbose_name=_("募集回"))
    company = models.ForeignKey("applications.Company", on_delete=models.PROTECT,
                                related_name="applications", verbose_name=_("企業"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("担当者アカウント"),
    )
    status = models.CharField(_("状態"), max_length=32, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.AWAITING_DOCUMENTS, db_index=True)
    status_changed_at = models.DateTimeField(_("状態の変更日時"), auto_now_add=True)
    received_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    decision_notified_at = models.DateTimeField(
        _("採否の通知日時"), null=True, blank=True,
        help_text=_("採否は通知を送った時点で申込者に表示されます（V.1(2)⑤⑥）。"))
    staff_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("担当職員"),
    )
    consortium_id = models.CharField(_("コンソーシアムID"), max_length=20, unique=True,
                                     null=True, blank=True)

    contact_name = models.CharField(_("担当者名"), max_length=100)
    contact_department = models.CharField(_("部署名"), max_length=100, blank=True)
    contact_email = models.EmailField(_("担当者メールアドレス"))
    contact_phone = models.CharField(_("電話番号"), max_length=20)

    project_type = models.CharField(_("プロジェクトの種類"), max_length=16,
                                    choices=ProjectType.choices)
    target_countries = models.JSONField(_("対象国・地域（優先順）"), default=list)
    us_tariff_response = models.BooleanField(_("米国関税措置への対応"), default=False)
    product_name = models.CharField(_("対象製品・サービス名"), max_length=200)
    product_url = models.URLField(_("製品・サービスのURL"), blank=True)
    contact_notes = models.TextField(_("連絡事項"), blank=True)

    eligibility_facts = models.JSONField(_("要件判定の入力"), default=dict, blank=True)
    eligibility_result = models.JSONField(_("要件判定の結果"), default=dict, blank=True)
    eligibility_outcome = models.CharField(_("要件判定"), max_length=16, blank=True,
                                           db_index=True)
    eligibility_rules_version = models.CharField(_("判定規則の版"), max_length=16, blank=True)
    withdrawal_reason = models.TextField(_("辞退の理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申込")
        verbose_name_plural = _("申込")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"
