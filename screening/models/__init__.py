from .assessment import Assessment, StageDecision
from .committee import AgendaItem, CommitteeMeeting, Vote
from .interview import Interview

__all__ = ["AgendaItem", "Assessment", "CommitteeMeeting", "Interview", "StageDecision", "Vote"]
