import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationDraft(models.Model):
    """The online registration in progress (FORM-TIMEOUT).

    It lives at most 2 hours from the first step, counted on the server; after that it is
    deleted (with what was typed) and the applicant starts again. Finishing it creates the
    Company and the Application and deletes the draft.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=64, db_index=True)
    started_at = models.DateTimeField(_("開始日時"))
    expires_at = models.DateTimeField(_("有効期限"), db_index=True)
    data = models.JSONField(_("入力内容"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("オンライン登録（入力中）")
        verbose_name_plural = _("オンライン登録（入力中）")

    def __str__(self) -> str:
        return f"registration {self.public_id} (until {self.expires_at:%H:%M})"
