from .application import Application
from .call import Call
from .company import Company
from .document import Document
from .eligibility import EligibilityOverride
from .registration import RegistrationDraft
from .webform import WebFormAnswers

__all__ = ["Application", "Call", "Company", "Document", "EligibilityOverride", "RegistrationDraft",
           "WebFormAnswers"]
