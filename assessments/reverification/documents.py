"""The reconciliation act (annex 1) as a document of the reporting service, and what its
signatures set off.

The act is rendered with the annexes' template and context builder (``reporting.annexes``,
kind ``annex1``): this module provides the context of an act from the act's own snapshot
(``ReconciliationAct.facts``), never from the live findings, so re-rendering a version gives the
same document.
"""

from __future__ import annotations

from typing import Any

from assessments.registry.selectors import name_on
from assessments.reverification.services import (
    ACT_DOCUMENT_KIND,
    reconciliation_act_signature_recorded,
)
from reporting.annexes import Body, provide_context, reconciliation_act_context
from reporting.signing.hooks import on_signature


def _fact(row: dict) -> dict[str, Any]:
    description = row["description"]
    if row.get("origin") == "published" and row.get("source_url"):
        # p.17: information the body published counts as well; the act names where
        description = f"{description} (размещено органом: {row['source_url']})"
    return {"description": description, "kind": row["kind"], "section": row["section"],
            "points": row["points"]}


def _person(role: str, user) -> dict[str, Any]:
    if user is None:
        return {"role": role}
    return {"role": role, "full_name": str(user), "position": getattr(user, "position", "") or ""}


def act_signatories(act) -> list[dict[str, Any]]:
    """Who the act's signature block names (annex 1 prints each signer's position and name):
    the evaluating body's representative is the one who issued the act, the evaluated body's
    is its head (the first active one); the PAdES signature carries who actually signed."""
    from assessments.kernel.people import memberships_active
    from assessments.models import Role

    rv = act.reverification
    head = (
        memberships_active(organisation_id=rv.body_id, roles=[Role.BODY_HEAD])
        .select_related("user").order_by("pk").first()
    )
    return [
        _person("evaluator_representative", act.issued_by),
        _person("body_representative", head.user if head is not None else None),
    ]


def act_context(act) -> dict[str, Any]:
    """The context of annex 1 for ``act``: the body's and the evaluator's names of the cycle's
    period, the numbered facts with their points, the total deduction (the engine's), the
    signature block (the evaluating body's representative, then the body's)."""
    rv = act.reverification
    name_ru, name_kk = name_on(rv.body, rv.cycle.names_on)
    evaluator_ru, _evaluator_kk = name_on(rv.evaluator, rv.cycle.names_on)
    previous = act.version - 1 if act.version > 1 else None
    return reconciliation_act_context(
        body=Body(name_ru=name_ru, name_kk=name_kk,
                  kind="central" if rv.body.kind == "central" else "local"),
        period=rv.cycle.year,
        direction=rv.direction,
        facts=[_fact(row) for row in act.facts],
        evaluator=evaluator_ru,
        signatories=act_signatories(act),
        act_date=act.issued_at,
        version=act.version,
        replaces_version=previous,
        edition=rv.cycle.edition,
    )


@provide_context(ACT_DOCUMENT_KIND)
def _act_document_context(document) -> dict[str, Any]:
    return act_context(document.subject)


# However the act is signed (its page, or the signing service's own page), the re-verification
# follows.
on_signature(ACT_DOCUMENT_KIND)(reconciliation_act_signature_recorded)
