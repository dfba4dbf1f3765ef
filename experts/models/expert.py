from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    """海外ビジネスに精通した専門家. Staff maintain the registry; experts edit their profile."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="expert_profile",
                                verbose_name=_("ログインアカウント"))
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名（フリガナ）"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    regions = models.JSONField(_("担当地域"), default=list, blank=True)
    countries = models.JSONField(_("対応国・地域（ISOコード）"), default=list, blank=True)
    industries = models.JSONField(_("対応業種"), default=list, blank=True)
    fields = models.JSONField(_("専門分野"), default=list, blank=True)
    languages = models.JSONField(_("対応言語"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("同時に担当できる企業数"), default=5)
    profile = models.TextField(_("経歴・得意分野"), blank=True)
    is_active = models.BooleanField(_("稼働中"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("専門家")
        verbose_name_plural = _("専門家")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name


class ExpertConflict(models.Model):
    """A declared conflict of interest: the expert may not support this company."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    company = models.ForeignKey("applications.Company", on_delete=models.CASCADE,
                                related_name="expert_conflicts")
    note = models.CharField(_("内容"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益相反の申告")
        verbose_name_plural = _("利益相反の申告")
        constraints = [models.UniqueConstraint(fields=["expert", "company"],
                                               name="expert_conflict_once")]

    def __str__(self) -> str:
        return f"{self.expert} × {self.company}"
