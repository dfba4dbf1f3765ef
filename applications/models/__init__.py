from .application import Application
from .call import Call
from .company import Company
from .document import Document

__all__ = ["Application", "Call", "Company", "Document"]
