from .assessment import Assessment, StageDecision
from .committee import AgendaItem, CommitteeMeeting, Vote
from .interview import Interview
from .notice import Notice, NoticeKind, NoticeStatus

__all__ = ["AgendaItem", "Assessment", "CommitteeMeeting", "Interview", "Notice", "NoticeKind",
           "NoticeStatus", "StageDecision", "Vote"]
