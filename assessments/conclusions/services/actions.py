"""What a conclusion's page offers ``user`` now (its role, the state, the signing turn)."""

from __future__ import annotations

from assessments.conclusions.services.guard_scores import stale_scores_reason
from assessments.conclusions.services.issue import issue_blocker
from assessments.conclusions.services.signature import sign_blocker
from assessments.kernel import access
from assessments.models import Conclusion, ConclusionState


def conclusion_actions(user, c: Conclusion) -> frozenset[str]:
    """The actions ``user`` may take on ``c`` now (its role and the state), for the pages."""
    from reporting.signing.services import signing_turn

    out = set()
    state = c.state
    if state == ConclusionState.DRAFT and access.can(user, "write", c):
        out |= {"edit", "submit"}
    if state == ConclusionState.IN_REVIEW and access.can(user, "review", c):
        out |= {"approve", "return"}
    if state in (ConclusionState.DRAFT, ConclusionState.IN_REVIEW, ConclusionState.APPROVED):
        stale = stale_scores_reason(c)
        if stale:
            out.discard("approve")
            if access.can(user, "write" if state == ConclusionState.DRAFT else "review", c):
                out.add("redraft")
    if state == ConclusionState.APPROVED and access.can(user, "sign", c) and not sign_blocker(c):
        if c.signed_document_id is None:
            from assessments.conclusions.signing import holds_slot_role
            from reporting.signing.blocks import SIGNATURE_BLOCKS

            if holds_slot_role(user, c, SIGNATURE_BLOCKS[c.annex][0][0]):
                out.add("sign")
        elif signing_turn(signed_document=c.signed_document, user=user).may_sign:
            out.add("sign")
    if state == ConclusionState.SIGNED and access.can(user, "issue", c) and not issue_blocker(c):
        out.add("issue")
    return frozenset(out)
