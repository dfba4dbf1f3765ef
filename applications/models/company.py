from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import PREFECTURES, Industry, LegalForm, SpecialIndustry


class Company(models.Model):
    """The applicant company (or sole proprietor / group). One row per registration."""

    name = models.CharField(_("企業名"), max_length=200)
    name_kana = models.CharField(_("企業名（フリガナ）"), max_length=200)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True, db_index=True)
    legal_form = models.CharField(_("組織形態"), max_length=16, choices=LegalForm.choices)
    postal_code = models.CharField(_("郵便番号"), max_length=7)
    prefecture = models.CharField(_("都道府県"), max_length=2, choices=PREFECTURES)
    address = models.CharField(_("住所"), max_length=300)
    representative = models.CharField(_("代表者名"), max_length=100)
    industry = models.CharField(_("主たる業種"), max_length=32, choices=Industry.choices)
    special_industry = models.CharField(
        _("政令で定める業種"), max_length=16, choices=SpecialIndustry.choices, blank=True
    )
    capital_yen = models.BigIntegerField(_("資本金（円）"), null=True, blank=True)
    regular_employees = models.PositiveIntegerField(_("常時使用する従業員数"))
    website = models.URLField(_("ウェブサイト"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企業")
        verbose_name_plural = _("企業")
        indexes = [models.Index(fields=["name_kana"])]

    def __str__(self) -> str:
        return self.name
