"""Who signs a conclusion: the seed's signature blocks (METHODOLOGY.md §7) bound to memberships.

A conclusion's PDF is frozen with role slots (``reporting.signing.blocks.signature_block``); the
resolvers registered here answer "may this person sign this slot of this conclusion?":

* ``deputy_chair`` (annexes 3, 4, 15), ``body_head`` (annex 5: the head of the Ministry) and
  ``evaluator_head`` (annexes 8, 12) — a *signatory* of the conclusion's evaluating body whose
  membership lists the conclusion's annex;
* ``unit_head`` — the head of the evaluating body's unit for the conclusion's direction
  (``assessor_unit_head``).

Role slots rather than named people: whoever holds the role when the document is signed signs it
(a deputy chair replaced between approval and signature does not block the conclusion). A slot of
another kind of document (an act, a disagreement table) is left to the resolver registered before.

Whichever page signs (the conclusion's or the signing service's own), the signing service calls
the hook registered here for the conclusions' document kinds, inside its transaction: the
conclusion's service checks its rules (approved, annex 3 after annex 5) — a refusal undoes the
signature — and fires the transition after the last signature.
"""

from __future__ import annotations

from assessments.kernel import access
from assessments.kernel.people import memberships_active
from assessments.models import Conclusion, Role
from reporting.signing import hooks, roles

SIGNATORY_SLOTS = ("deputy_chair", "body_head", "evaluator_head")
UNIT_HEAD_SLOT = "unit_head"


def holds_slot_role(user, conclusion: Conclusion, role: str) -> bool:
    """Whether ``user`` holds the slot ``role`` for ``conclusion`` today."""
    p = access.principal(user)
    if role == UNIT_HEAD_SLOT:
        return p.has_role(Role.ASSESSOR_UNIT_HEAD, organisation=conclusion.evaluator_id,
                          direction=conclusion.work_direction)
    if role in SIGNATORY_SLOTS:
        return any(
            m.role == Role.SIGNATORY
            and m.organisation_id == conclusion.evaluator_id
            and conclusion.annex in (m.annexes or [])
            for m in p.memberships
        )
    return False


def slot_holders(conclusion: Conclusion) -> list[tuple[str, str, list]]:
    """``(role, position text, [people holding it today])`` per slot of the annex, in order."""
    from reporting.signing.blocks import SIGNATURE_BLOCKS

    memberships = list(
        memberships_active(
            organisation_id=conclusion.evaluator_id,
            roles=[Role.SIGNATORY, Role.ASSESSOR_UNIT_HEAD],
        )
        .select_related("user")
        .order_by("pk")
    )
    out = []
    for role, position in SIGNATURE_BLOCKS[conclusion.annex]:
        if role == UNIT_HEAD_SLOT:
            people = [
                m.user for m in memberships
                if m.role == Role.ASSESSOR_UNIT_HEAD
                and m.direction in ("", conclusion.work_direction)
            ]
        else:
            people = [
                m.user for m in memberships
                if m.role == Role.SIGNATORY and conclusion.annex in (m.annexes or [])
            ]
        out.append((role, position, [u for u in people if u.is_active]))
    return out


def _resolver(role: str):
    def resolve(user, signed_document, slot) -> bool:
        subject = signed_document.subject
        return isinstance(subject, Conclusion) and holds_slot_role(user, subject, role)

    resolve.__name__ = f"conclusion_{role}"
    return resolve


for _role in (*SIGNATORY_SLOTS, UNIT_HEAD_SLOT):
    roles.register_signatory_role(_role)(_resolver(_role))


def _on_signature(signed_document, signature, *, complete: bool) -> None:
    from assessments.conclusions.services import conclusion_signature_recorded

    subject = signed_document.subject
    if isinstance(subject, Conclusion):
        conclusion_signature_recorded(conclusion=subject, signature=signature, complete=complete)


for _kind in ("annex3", "annex4", "annex5", "annex8", "annex12", "annex15"):
    hooks.on_signature(_kind)(_on_signature)
