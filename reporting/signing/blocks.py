"""The seed's signature blocks: who signs each annex, in order (METHODOLOGY.md §7).

``signature_block(annex, [user1, user2])`` gives the ``Signatory`` list to freeze a document with,
in the block's order, each with the block's position text; a ``None`` user leaves the slot to the
role (a resolver must then be registered for it, see ``reporting.signing.roles``).
"""

from __future__ import annotations

from collections.abc import Sequence

from reporting.signing.roles import Signatory

# (role, position as printed in the block)
_EVALUATOR_REP = ("evaluator_representative", "Представитель оценивающего органа")
_BODY_REP = ("body_representative", "Представитель оцениваемого государственного органа")
_DEPUTY_CHAIR = ("deputy_chair", "Заместитель Председателя")
_UNIT_HEAD = ("unit_head", "Руководитель структурного подразделения")
_EVALUATOR_HEAD = ("evaluator_head", "Руководитель уполномоченного органа")

SIGNATURE_BLOCKS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (_EVALUATOR_REP, _BODY_REP),  # reconciliation act: both sides
    3: (_DEPUTY_CHAIR, _UNIT_HEAD),
    4: (_DEPUTY_CHAIR, _UNIT_HEAD),
    5: (("body_head", "Руководитель государственного органа"), _UNIT_HEAD),  # the Ministry
    8: (_EVALUATOR_HEAD,),
    12: (_EVALUATOR_HEAD,),
    14: (("commission_chair", "Председатель специальной комиссии"), _BODY_REP),
    15: (_DEPUTY_CHAIR, _UNIT_HEAD),
}


def signature_block(annex: int, users: Sequence | None = None) -> list[Signatory]:
    """The signatories of ``annex`` in the seed's order; ``users[i]`` (or None) fills slot i."""
    try:
        block = SIGNATURE_BLOCKS[annex]
    except KeyError:
        raise LookupError(f"annex {annex} has no signature block")
    users = list(users or [])
    if len(users) > len(block):
        raise ValueError(f"annex {annex} has {len(block)} signatories, got {len(users)}")
    users += [None] * (len(block) - len(users))
    return [
        Signatory(user=user, role=role, position=position)
        for (role, position), user in zip(block, users, strict=True)
    ]
