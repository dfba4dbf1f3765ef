from .audit import AuditLog
from .outbox import OutboundMail
from .user import User

__all__ = ["AuditLog", "OutboundMail", "User"]
