"""Models of the assessment cycle, one module per concept (see README, Architecture)."""

from .audit import AuditEntry
from .calendar import WorkingDayOverride
from .cycles import AssessorAssignment, Cycle, Milestone
from .directions import MAIN_DIRECTIONS, Direction
from .evidence import Classification, Evidence
from .imports import ImportBatch, ImportKind, ImportRecord, ImportStagingRow
from .notifications import Notification
from .openness import OpennessAssessment, OpennessScore
from .organisations import EvaluatorRule, Organisation, OrganisationName, Region
from .people import Membership, Role, User
from .public_services import PublicService
from .reports import Report, ReportSection, SubmissionPolicy

__all__ = [
    "Classification",
    "Evidence",
    "ImportBatch",
    "ImportKind",
    "ImportRecord",
    "ImportStagingRow",
    "Notification",
    "OpennessAssessment",
    "OpennessScore",
    "PublicService",
    "Report",
    "ReportSection",
    "SubmissionPolicy",
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
