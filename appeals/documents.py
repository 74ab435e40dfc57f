"""The disagreement table (annex 14) as a document of the reporting service, and what its
signatures set off.

Two versions of one objection's table are rendered with the annexes' template and builder
(``reporting.annexes.disagreement_table_context``, kind ``annex14``):

* version 1 — the table as the body filed it (no decisions), frozen for and PAdES-signed by the
  body's head who drew it up (``Objection.filed_signed_document``); that signature, completed
  within the window, files the objection (``appeals.services.objection_filed_signature_recorded``);
* version 2 — the completed table: each row's decision and reasoning, "Общий балл с учетом
  итогов обжалования" (the direction's score after the appeal), the date of the decision. It is
  frozen for signature: the commission's chair, then the body's representative ("С итогами
  обжалования ознакомлен").

However the completed table is signed (the objection's page or the signing service's own), the
objection follows: the chair's signature moves it to ``signed_by_chair``, the body's to
``acknowledged`` (:func:`appeals.services.objection_signature_recorded`).
"""

from __future__ import annotations

from typing import Any

from assessments.kernel.people import memberships_active
from assessments.models import Role
from assessments.registry.selectors import name_on

DOCUMENT_KIND = "annex14"
FILED_VERSION = 1
COMPLETED_VERSION = 2


def _body_head(objection, *, completed: bool = True) -> Any:
    if completed and objection.acknowledged_by_id:
        return objection.acknowledged_by
    if not completed and objection.filed_by_id:  # the head who signed and filed it
        return objection.filed_by
    membership = (
        memberships_active(organisation_id=objection.body_id, roles=[Role.BODY_HEAD])
        .select_related("user").order_by("pk").first()
    )
    return membership.user if membership else None


def annex14_context(objection, *, draft: bool = False, completed: bool | None = None
                    ) -> dict[str, Any]:
    """Annex 14's context for ``objection``: as filed (``completed=False``), or completed with
    the commission's decisions (default once decided)."""
    from reporting.annexes import Body, disagreement_table_context

    if completed is None:
        completed = bool(objection.decided_on)
    cycle = objection.cycle
    name_ru, name_kk = name_on(objection.body, cycle.names_on)
    evaluator_ru, _kk = name_on(objection.evaluator, cycle.names_on)
    rows = []
    for row in objection.rows.order_by("number"):
        decided = completed and row.decision
        rows.append({
            "subject": row.subject,
            "evaluator_conclusion": row.evaluator_conclusion,
            "objection": row.objection_text,
            "decision": row.decision if decided else None,
            "reasoning": row.reasoning if decided else "",
        })
    signatories = []
    filer = None
    if completed:
        sitting = getattr(objection, "sitting", None) if objection.pk else None
        if sitting is not None:
            chair = sitting.commission.chair
            signatories.append({"role": "commission_chair", "full_name": str(chair),
                                "position": getattr(chair, "position", "") or ""})
        # "С итогами обжалования ознакомлен": only the acknowledgment after the decision
        head = _body_head(objection, completed=True)
        if head is not None:
            signatories.append({"role": "body_representative", "full_name": str(head),
                                "position": getattr(head, "position", "") or ""})
    else:
        # the table as filed: signed by the body's head as its filer
        head = _body_head(objection, completed=False)
        filer = {"full_name": str(head) if head is not None else "",
                 "position": (getattr(head, "position", "") or "") if head is not None else ""}
    all_decided = completed and all(r["decision"] for r in rows)
    return disagreement_table_context(
        body=Body(name_ru=name_ru, kind="central" if objection.body.kind == "central"
                  else "local", name_kk=name_kk or ""),
        direction=objection.direction,
        rows=rows,
        period=cycle.year,
        overall_after_appeal=(objection.overall_after_appeal or None) if all_decided else None,
        evaluator=evaluator_ru,
        decided_on=objection.decided_on if completed else None,
        signatories=signatories,
        filer=filer,
        version=COMPLETED_VERSION if completed else FILED_VERSION,
        draft=draft,
    )


def _provider(document) -> dict[str, Any]:
    from appeals.models import Objection

    objection = Objection.objects.select_related("cycle", "body", "evaluator").get(
        pk=document.subject_id)
    return annex14_context(objection, draft=document.draft,
                           completed=document.version >= COMPLETED_VERSION)


def _signed(signed_document, signature, *, complete: bool) -> None:
    from appeals.services import (
        objection_filed_signature_recorded,
        objection_signature_recorded,
    )

    if signed_document.version == FILED_VERSION:  # the head's signature files the objection
        objection_filed_signature_recorded(signed_document, signature, complete=complete)
    else:
        objection_signature_recorded(signed_document, signature, complete=complete)


def register() -> None:
    from reporting.annexes import provide_context
    from reporting.signing.hooks import on_signature, remove_handler

    provide_context(DOCUMENT_KIND)(_provider)
    remove_handler(DOCUMENT_KIND, _signed)  # registered once, however often this runs
    on_signature(DOCUMENT_KIND)(_signed)


register()
