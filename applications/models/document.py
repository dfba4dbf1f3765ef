import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import DocumentKind, DocumentSource
from handson.files import private_storage


class Document(models.Model):
    """An uploaded (or posted) PDF. Stored under a generated name; the original is data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="documents", verbose_name=_("申込"))
    kind = models.CharField(_("種類"), max_length=32, choices=DocumentKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    file = models.FileField(_("ファイル"), storage=private_storage, max_length=200, blank=True)
    original_name = models.CharField(_("元のファイル名"), max_length=255, blank=True)
    size_bytes = models.PositiveIntegerField(_("サイズ"), default=0)
    page_count = models.PositiveIntegerField(_("ページ数"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    source = models.CharField(_("提出方法"), max_length=16, choices=DocumentSource.choices,
                              default=DocumentSource.WEB)
    uploaded_at = models.DateTimeField(_("受領日時"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")
        ordering = ["kind", "-fiscal_year"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fiscal_year or ''}".strip()

    @property
    def download_name(self) -> str:
        """The program's naming convention (DOCS-FS, DOCS-PRODUCT)."""
        company = self.application.company.name
        if self.kind == DocumentKind.FINANCIAL_STATEMENT:
            return f"{company}_({self.fiscal_year}年度)_決算報告書.pdf"
        return f"{company}_({self.application.product_name}).pdf"
