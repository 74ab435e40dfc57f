"""Models of the assessment cycle, one module per concept (see README, Architecture)."""

from .audit import AuditEntry
from .calendar import WorkingDayOverride
from .cycles import AssessorAssignment, Cycle, Milestone
from .directions import MAIN_DIRECTIONS, Direction
from .organisations import EvaluatorRule, Organisation, OrganisationName, Region
from .people import Membership, Role, User

__all__ = [
    "AssessorAssignment",
    "AuditEntry",
    "Cycle",
    "Direction",
    "EvaluatorRule",
    "MAIN_DIRECTIONS",
    "Membership",
    "Milestone",
    "Organisation",
    "OrganisationName",
    "Region",
    "Role",
    "User",
    "WorkingDayOverride",
]
