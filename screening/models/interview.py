from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from screening.enums import InterviewMode, InterviewStatus, NoticeChannel


class Interview(models.Model):
    """② 面談審査: the representative and the project owner meet JETRO and an expert candidate.

    A reschedule updates the row (the audit log keeps every previous date); a cancellation
    sets the status, and a new interview may then be scheduled.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="interviews")
    scheduled_at = models.DateTimeField(_("日時"))
    duration_minutes = models.PositiveSmallIntegerField(_("所要時間（分）"), default=60)
    mode = models.CharField(_("形式"), max_length=16, choices=InterviewMode.choices)
    place = models.CharField(_("場所"), max_length=300, blank=True)
    meeting_url = models.URLField(_("オンライン会議のURL"), blank=True)
    company_attendees = models.TextField(
        _("企業側の出席者"), help_text=_("原則として代表者と事業責任者のご出席をお願いしています。"))
    jetro_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+",
                                         verbose_name=_("ジェトロ側の出席者"), blank=True)
    expert_candidate = models.ForeignKey("experts.Expert", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("専門家候補"))
    status = models.CharField(_("状態"), max_length=16, choices=InterviewStatus.choices,
                              default=InterviewStatus.SCHEDULED)
    notice_channel = models.CharField(_("通知方法"), max_length=8, choices=NoticeChannel.choices,
                                      default=NoticeChannel.EMAIL)
    contact_log = models.TextField(_("連絡記録"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("面談")
        verbose_name_plural = _("面談")
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.scheduled_at:%Y-%m-%d %H:%M}"
