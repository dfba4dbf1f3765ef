from .activity import Activity, Trip, TripCost
from .case import Declination, SupportCase
from .review import Review, Survey

__all__ = ["Activity", "Declination", "Review", "SupportCase", "Survey", "Trip", "TripCost"]
