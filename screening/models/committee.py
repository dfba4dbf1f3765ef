from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from handson.files import private_storage
from screening.enums import Decision, MeetingStatus, TieRule, VoteChoice


class CommitteeMeeting(models.Model):
    """④ 採択企業選定審査委員会."""

    call = models.ForeignKey("applications.Call", on_delete=models.PROTECT,
                             related_name="committee_meetings")
    title = models.CharField(_("名称"), max_length=200)
    scheduled_at = models.DateTimeField(_("開催日時"))
    place = models.CharField(_("場所"), max_length=300, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="committee_meetings",
                                     verbose_name=_("委員"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("委員長"))
    quorum = models.PositiveSmallIntegerField(_("定足数"))
    tie_rule = models.CharField(_("可否同数の扱い"), max_length=16, choices=TieRule.choices,
                                default=TieRule.CHAIR_DECIDES)
    disclose_individual_votes = models.BooleanField(_("議事録に委員ごとの投票を記載する"),
                                                    default=False)
    status = models.CharField(_("状態"), max_length=8, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_pdf = models.FileField(_("議事録"), blank=True, max_length=200,
                                   storage=private_storage)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("採択企業選定審査委員会")
        verbose_name_plural = _("採択企業選定審査委員会")
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE,
                                related_name="agenda")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("順番"), default=0)
    decision = models.CharField(_("決定"), max_length=16, choices=Decision.choices, blank=True)
    votes_adopt = models.PositiveSmallIntegerField(default=0)
    votes_reject = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    recusals = models.PositiveSmallIntegerField(default=0)
    decided_by_chair = models.BooleanField(_("委員長の裁決"), default=False)
    chair_casting_choice = models.CharField(_("委員長の裁決内容"), max_length=8, blank=True,
                                            choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("審議案件")
        verbose_name_plural = _("審議案件")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application"],
                                               name="application_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.position} {self.application_id}"


class Vote(models.Model):
    """One member's vote on one agenda item; the unique constraint makes double votes one."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    choice = models.CharField(_("投票"), max_length=8, choices=VoteChoice.choices)
    conflict_note = models.CharField(_("利益相反の内容"), max_length=300, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"],
                                               name="one_vote_per_member_and_item")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"
