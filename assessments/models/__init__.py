"""Models of the assessment cycle, one module per concept (see README, Architecture)."""

from .api import ApiScope, ApiToken, ApiTokenUse, IdempotencyRecord, ServiceAccount
from .audit import AuditEntry
from .calendar import WorkingDayOverride
from .conclusions import Conclusion, ConclusionDirection, ConclusionState, WindowOutcome
from .cycles import AssessorAssignment, Cycle, Milestone
from .directions import MAIN_DIRECTIONS, Direction
from .evidence import Classification, Evidence
from .imports import ImportBatch, ImportKind, ImportRecord, ImportStagingRow
from .jobs import BackgroundJob
from .notifications import Notification
from .openness import OpennessAssessment, OpennessScore
from .organisations import EvaluatorRule, Organisation, OrganisationName, Region
from .people import Membership, Role, User
from .public_services import PublicService
from .reports import IncompletenessFact, Report, ReportSection, SubmissionPolicy
from .reverification import (
    ConfirmingDocument,
    DocumentRequest,
    Finding,
    ReconciliationAct,
    Reverification,
    RiskMethod,
    RiskSample,
    SystemCheck,
)
from .scores import SOURCE_KINDS, EnteredInput, ScoreSheet, ScoringInput
from .uploads import CheckState, RefusedUpload

__all__ = [
    "ApiScope",
    "ApiToken",
    "ApiTokenUse",
    "IdempotencyRecord",
    "ServiceAccount",
    "ConfirmingDocument",
    "DocumentRequest",
    "Finding",
    "ReconciliationAct",
    "Reverification",
    "RiskMethod",
    "RiskSample",
    "SystemCheck",
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
    "IncompletenessFact",
    "Report",
    "ReportSection",
    "SubmissionPolicy",
    "AssessorAssignment",
    "AuditEntry",
    "BackgroundJob",
    "Conclusion",
    "ConclusionDirection",
    "ConclusionState",
    "WindowOutcome",
    "Cycle",
    "Direction",
    "EvaluatorRule",
    "MAIN_DIRECTIONS",
    "Membership",
    "Milestone",
    "Organisation",
    "OrganisationName",
    "Region",
    "RefusedUpload",
    "CheckState",
    "Role",
    "SOURCE_KINDS",
    "ScoreSheet",
    "ScoringInput",
    "EnteredInput",
    "User",
    "WorkingDayOverride",
]
