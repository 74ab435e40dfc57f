"""The appeals' answers to the conclusions' events (``assessments.conclusions.signals``),
connected by ``AppealsConfig.ready``: a corrected conclusion waits for its objection's table
signed by the commission's chair, and goes to the body together with it (p.115).
"""

from __future__ import annotations

from assessments.conclusions import signals
from assessments.models import Conclusion


def on_correction_issue_check(sender, *, correction: Conclusion, **kwargs) -> str:
    """May ``correction`` be issued? The refusal's text, or "" (p.115)."""
    from appeals.services import correction_issue_blocker

    return correction_issue_blocker(correction)


def on_correction_issued(sender, *, correction: Conclusion, actor, **kwargs) -> None:
    """``correction`` was issued: the body receives the completed table with it (p.115) and its
    hand-over is scheduled — inside the issue's transaction."""
    from appeals.services import correction_issued

    correction_issued(correction=correction, actor=actor)


CONNECTIONS = (
    (signals.correction_issue_check, on_correction_issue_check,
     "appeals.correction_issue_check"),
    (signals.correction_issued, on_correction_issued, "appeals.correction_issued"),
)


def connect() -> None:
    """Connect the receivers (idempotent: each has a ``dispatch_uid``)."""
    for signal, receiver, uid in CONNECTIONS:
        signal.connect(receiver, sender=Conclusion, dispatch_uid=uid)


def disconnect() -> None:
    for signal, _receiver, uid in CONNECTIONS:
        signal.disconnect(sender=Conclusion, dispatch_uid=uid)
