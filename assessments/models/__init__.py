"""Models of the assessment cycle, one module per concept (see README, Architecture)."""

from .calendar import WorkingDayOverride
from .people import User

__all__ = ["User", "WorkingDayOverride"]
