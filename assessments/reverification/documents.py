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


def act_context(act, *, remarks: str = "") -> dict[str, Any]:
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
        remarks=remarks or None,
        signatories=act_signatories(act),
        act_date=act.issued_at,
        version=act.version,
        replaces_version=previous,
        edition=rv.cycle.edition,
    )


def _when(moment) -> str:
    from assessments.kernel import clock

    return clock.aware(moment).strftime("%d.%m.%Y %H:%M") if moment else "—"


def _full_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


def act_closure_context(act) -> dict[str, Any]:
    """Annex 1 as closed without the body's signature (p.19–20): the act's own facts and total,
    the body's remarks, and a closure record saying plainly that the body did not sign within
    its term, who of the evaluating body signed, and who closed it and when. Rendered beside the
    act (subject: the re-verification, version: the act's), since the signed file never
    changes."""
    from assessments.reverification.services.act import _evaluator_signature

    ctx = act_context(act, remarks=act.body_remarks)
    signature = _evaluator_signature(act)
    due = act.body_sign_due_on.strftime("%d.%m.%Y") if act.body_sign_due_on else "—"
    lines = [
        f"Акт не подписан представителем оцениваемого государственного органа в установленный "
        f"срок: до {due} включительно ({act.reverification.cycle.act_signing_working_days} "
        f"рабочих дней после подписания акта представителем уполномоченного органа).",
    ]
    if signature is not None:
        lines.append(
            f"Акт подписан представителем уполномоченного органа: {signature.printed_name}, "
            f"{_when(signature.signed_at)} (электронная цифровая подпись в подписанном "
            f"экземпляре акта)."
        )
    lines.append(
        f"Акт закрыт уполномоченным органом как не подписанный оцениваемым государственным "
        f"органом: {_when(act.closed_unsigned_at)}, {_full_name(act.closed_unsigned_by)}."
        + (f" Основание: {act.closed_unsigned_reason}." if act.closed_unsigned_reason else "")
    )
    lines.append(
        f"Вычет применяется: {ctx['deduction']['printed']} балла (п. 19–20 Методики)."
    )
    ctx["closure"] = {
        "title": "ОТМЕТКА О ЗАКРЫТИИ АКТА: НЕ ПОДПИСАН ОЦЕНИВАЕМЫМ ГОСУДАРСТВЕННЫМ ОРГАНОМ",
        "lines": lines,
    }
    return ctx


@provide_context(ACT_DOCUMENT_KIND)
def _act_document_context(document) -> dict[str, Any]:
    from assessments.models import Reverification

    subject = document.subject
    if isinstance(subject, Reverification):
        # The closure record of the act of that version (reconciliation_act_close_unsigned).
        return act_closure_context(subject.acts.get(version=document.version))
    return act_context(subject)


# However the act is signed (its page, or the signing service's own page), the re-verification
# follows.
on_signature(ACT_DOCUMENT_KIND)(reconciliation_act_signature_recorded)
