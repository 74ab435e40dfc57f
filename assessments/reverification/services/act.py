"""The deduction (p.20) and the reconciliation act (p.19–20, annex 1): issuing, signing,
closing and reopening; and the reads of the signed act (the conclusion's p.21 facts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access, calendar, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.kernel.transitions import lock
from assessments.models import (
    Cycle,
    Finding,
    Organisation,
    ReconciliationAct,
    Reverification,
)
from assessments.reverification.services.common import (
    _assessors,
    _body_heads,
    _body_staff,
    _link,
    _lock,
    _require_work,
)
from assessments.scoring import load_edition, score_case_dict

ACT_DOCUMENT_KIND = "annex1"  # reporting.annexes: the reconciliation act
EVALUATOR_SLOT_ROLE = "reverification_evaluator"
BODY_SLOT_ROLE = "reverification_body"


# --- Deduction (p.20): asked of the scoring engine, never computed here --------------------------


@dataclass(frozen=True)
class Deduction:
    """The deduction of a direction for some facts: the plain ``sum`` of points, the ``value``
    that counts (the engine caps it at ``cap``), and whether the cap applied."""

    unreliable: int
    incomplete: int
    sum: Decimal
    value: Decimal
    cap: Decimal
    capped: bool
    points_unreliable: Decimal
    points_incomplete: Decimal


def fact_points(edition: str) -> dict[str, Decimal]:
    """Points per fact of each kind in the edition (2023: 0.2 and 2, p.20)."""
    pen = load_edition(str(edition)).penalty
    return {
        Finding.Kind.UNRELIABLE: Decimal(pen["unreliable"].text),
        Finding.Kind.INCOMPLETE: Decimal(pen["incomplete"].text),
    }


def deduction_of(*, edition: str, kind: str, unreliable: int, incomplete: int) -> Deduction:
    """The deduction the scoring engine gives for these fact counts (min(cap, Σ), p.20).

    The engine's penalty is the one formula: it is asked through its public API with a case
    holding only the counts (an empty complaints direction, whose penalty is the same rule).
    """
    result = score_case_dict({
        "edition": str(edition),
        "body": {"kind": kind},
        "complaints": {
            "handled": 0, "handled_late": 0, "court_upheld": 0, "received": 0,
            "redirected_late": 0, "disciplinary_actions": 0, "excused": 0,
        },
        "penalties": {"complaints": {"unreliable_facts": unreliable,
                                     "incomplete_facts": incomplete}},
    })
    entry = result["explain"]["complaints.penalty"]
    points = fact_points(edition)
    pen = load_edition(str(edition)).penalty
    return Deduction(
        unreliable=unreliable,
        incomplete=incomplete,
        sum=points[Finding.Kind.UNRELIABLE] * unreliable
        + points[Finding.Kind.INCOMPLETE] * incomplete,
        value=Decimal(result["complaints"]["penalty"]),
        cap=Decimal(pen["cap"].text),
        capped=bool(entry["rules"]),
        points_unreliable=points[Finding.Kind.UNRELIABLE],
        points_incomplete=points[Finding.Kind.INCOMPLETE],
    )


def _body_kind(body: Organisation) -> str:
    return "central" if body.kind == Organisation.Kind.CENTRAL else "local"


def reverification_deduction(reverification: Reverification) -> Deduction:
    """The running deduction of the re-verification's active findings."""
    counts = {Finding.Kind.UNRELIABLE: 0, Finding.Kind.INCOMPLETE: 0}
    for kind in reverification.findings.filter(withdrawn_at__isnull=True).values_list(
        "kind", flat=True
    ):
        counts[kind] += 1
    return deduction_of(
        edition=reverification.cycle.edition, kind=_body_kind(reverification.body),
        unreliable=counts[Finding.Kind.UNRELIABLE], incomplete=counts[Finding.Kind.INCOMPLETE],
    )


# --- The act (annex 1) ---------------------------------------------------------------------------


def current_act(reverification: Reverification) -> ReconciliationAct | None:
    return (
        reverification.acts.filter(superseded_at__isnull=True)
        .select_related("signed_document", "rendered_document")
        .order_by("-version")
        .first()
    )


def _fact_rows(findings: Iterable[Finding]) -> list[dict]:
    return [
        {
            "number": number,
            "finding": f.pk,
            "kind": f.kind,
            "description": f.description,
            "section": f.report_section,
            "origin": f.origin,
            "source_url": f.source_url,
            "points": str(f.points),
        }
        for number, f in enumerate(findings, start=1)
    ]


def _signatories():
    from reporting.signing.blocks import SIGNATURE_BLOCKS
    from reporting.signing.roles import Signatory

    (_r1, evaluator_position), (_r2, body_position) = SIGNATURE_BLOCKS[1]
    return [
        Signatory(role=EVALUATOR_SLOT_ROLE, position=evaluator_position),
        Signatory(role=BODY_SLOT_ROLE, position=body_position),
    ]


@transaction.atomic
def reconciliation_act_issue(*, actor, reverification: Reverification) -> ReconciliationAct:
    """Generate the act (annex 1) from the findings: numbered facts, points per fact, the total
    deduction; render it to PDF (the reporting service) and freeze it for signing by a
    representative of the evaluating body, then one of the body (p.19, annex 1)."""
    from reporting.services import document_request as render_request
    from reporting.signing.services import signed_document_freeze

    rv = _lock(reverification)
    _require_work(actor, rv)
    if rv.state != Reverification.State.FINDINGS_RECORDED:
        raise DomainError(_("Сначала зафиксируйте факты перепроверки."), code="state")
    findings = list(rv.findings.filter(withdrawn_at__isnull=True).order_by("recorded_at", "pk"))
    deduction = reverification_deduction(rv)
    previous = rv.acts.order_by("-version").first()
    version = (previous.version + 1) if previous else 1
    now = clock.now()
    act = ReconciliationAct.objects.create(
        reverification=rv, version=version, facts=_fact_rows(findings),
        unreliable_facts=deduction.unreliable, incomplete_facts=deduction.incomplete,
        points_sum=deduction.sum, deduction=deduction.value, issued_by=actor, issued_at=now,
    )
    rendered = render_request(kind=ACT_DOCUMENT_KIND, subject=act, version=version,
                              requested_by=actor, render_now=True)
    signed = signed_document_freeze(
        rendered_document=rendered, signatories=_signatories(),
        title=str(_("Акт сверки: %(body)s, %(direction)s")
                  % {"body": rv.body.name_ru, "direction": rv.get_direction_display()}),
        created_by=actor,
    )
    act.rendered_document = rendered
    act.signed_document = signed
    act.save(update_fields=["rendered_document", "signed_document"])
    rv.issue_act(
        by=actor,
        description=_("Акт сверки, версия %(v)s: вычет %(d)s") % {"v": version,
                                                                  "d": deduction.value},
    )
    rv.save()
    link = reverse("reverification:reverification_act", args=[act.pk])
    notify(_assessors(rv) + _body_heads(rv),
           _("Акт сверки по перепроверке «%(rv)s» сформирован и ожидает подписей.") % {"rv": rv},
           link)
    return act


@dataclass
class ActSigningStatus:
    """Where the act stands for the page: each slot with its signature and its check."""

    act: ReconciliationAct
    slots: list = field(default_factory=list)
    report: object = None
    turn: object = None


def act_signing_status(act: ReconciliationAct, user=None, *, verify: bool = True):
    """The act's signature slots (each with its signature, if any), the verification of the
    stored file now, and the user's turn."""
    from reporting.signing.services import signed_document_verify, signing_turn

    document = act.signed_document
    slots = list(document.slots.select_related("user", "signature").order_by("order"))
    report = signed_document_verify(document) if verify else None
    turn = signing_turn(signed_document=document, user=user) if user is not None else None
    return ActSigningStatus(act=act, slots=slots, report=report, turn=turn)


def _write_penalties(rv: Reverification, act: ReconciliationAct, actor) -> None:
    """The closed act's fact counts — signed by both sides, or closed as not signed by the body
    past its term — (kept on the re-verification by ``_act_stands``) enter the body's scoring
    input with the incompleteness facts recorded at submission, under one cap (p.17–20; the
    engine caps; ``assessments.scores.services.assembly.penalty_facts`` counts)."""
    from assessments.scores.services.assembly import penalties_store

    if act.closure == ReconciliationAct.Closure.NOT_SIGNED_BY_BODY:
        label = str(_("Акт сверки, версия %(v)s (не подписан органом)") % {"v": act.version})
        reason = str(_("Перепроверка: %(label)s закрыт по истечении срока подписания")
                     % {"label": label})
    else:
        label = str(_("Акт сверки, версия %(v)s") % {"v": act.version})
        reason = str(_("Перепроверка: %(label)s подписан сторонами") % {"label": label})
    penalties_store(cycle=rv.cycle, body=rv.body, actor=actor, reason=reason)


def _act_stands(rv: Reverification, act: ReconciliationAct) -> None:
    """What the re-verification holds from the closed act (its counts and deduction)."""
    rv.unreliable_facts, rv.incomplete_facts = act.unreliable_facts, act.incomplete_facts
    rv.deduction = act.deduction


def _day(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def body_sign_due_on(cycle: Cycle, reached_on):
    """The last day the body may sign (or record remarks on) an act that reached it on
    ``reached_on``: the cycle's ``act_signing_working_days``-th working day after (the Kazakh
    calendar; the day itself never counts)."""
    return calendar.add_working_days(reached_on, cycle.act_signing_working_days)


@transaction.atomic
def reconciliation_act_sign(
    *, actor, act: ReconciliationAct, passphrase: str, remarks: str = "",
):
    """Sign the act in the signing service: the evaluating body's representative first, then
    the body's head (annex 1; whose turn it is, and why not, is the signing service's to say).
    The body may sign with remarks: they go into its PAdES signature (the reason, covered by that
    signature) and onto the act's page. What follows each signature — the act standing once both
    signed — is :func:`reconciliation_act_signature_recorded`, which the signing service calls
    however the act was signed."""
    from reporting.models import SignedDocument
    from reporting.signing.services import Prepare, signed_document_sign

    # Lock order of every signing path: the document, then the act, then the re-verification.
    document_id = ReconciliationAct.objects.values_list("signed_document_id", flat=True).get(
        pk=act.pk)
    SignedDocument.objects.select_for_update().filter(pk=document_id).exists()
    act = lock(act)
    rv = _lock(act.reverification)
    if act.superseded_at is not None:
        raise DomainError(_("Эта версия акта заменена новой и не подписывается."), code="state")
    if rv.state != Reverification.State.ACT_ISSUED:
        raise DomainError(_("Акт не ожидает подписей."), code="state")
    if not access.can(actor, "view", act):
        raise PermissionDenied
    remarks = (remarks or "").strip()
    slot = act.signed_document.slots.filter(signature__isnull=True).order_by("order").first()
    if remarks and not (slot is not None and slot.role == BODY_SLOT_ROLE):
        raise DomainError(_("Замечания к акту вносит оцениваемый орган при подписании."),
                          code="remarks")
    if remarks and not isinstance(passphrase, Prepare):  # saved with the signature itself
        act.body_remarks = remarks
        act.body_remarks_at, act.body_remarks_by = clock.now(), actor
        act.save(update_fields=["body_remarks", "body_remarks_at", "body_remarks_by"])
    if remarks:
        reason = str(_("Подписано с замечаниями: %(remarks)s") % {"remarks": remarks})[:1000]
    else:
        reason = str(_("Акт сверки подписан"))
    return signed_document_sign(
        signed_document=act.signed_document, user=actor, passphrase=passphrase, reason=reason,
    )


def reconciliation_act_signature_recorded(signed_document, signature, *, complete: bool) -> None:
    """After each signature of an act (the signing service's hook, inside its transaction):
    log it and tell the next signatory; after the last one the act stands — the re-verification
    moves to ``act_signed`` and the act's fact counts enter the body's scoring input, and so its
    stored scores (p.20). A superseded act is refused (raising undoes the signature)."""
    from reporting.signing.errors import SigningRefused

    act = (
        ReconciliationAct.objects.select_for_update()
        .filter(signed_document_id=signed_document.pk)
        .first()
    )
    if act is None:
        return
    rv = _lock(act.reverification)
    if act.superseded_at is not None or rv.state != Reverification.State.ACT_ISSUED:
        raise SigningRefused(_("Эта версия акта сверки заменена новой, закрыта или не ожидает "
                               "подписей."))
    signer = signature.signer
    by_body = signature.slot.role == BODY_SLOT_ROLE
    audit_record(actor=signer, obj=rv, action="act_sign",
                 changes={f"act.{act.version}": (None, signature.printed_name)},
                 reason=act.body_remarks if by_body else "")
    link = reverse("reverification:reverification_act", args=[act.pk])
    if not complete:
        if not by_body and act.body_sign_due_on is None:
            # The act reaches the body now: its term starts (p.19–20; the cycle's schedule).
            act.body_sign_due_on = body_sign_due_on(rv.cycle, clock.today())
            act.save(update_fields=["body_sign_due_on"])
        notify(_body_heads(rv),
               _("Акт сверки по перепроверке «%(rv)s» подписан уполномоченным органом и ожидает "
                 "подписи органа до %(day)s включительно; не согласны — внесите замечания к "
                 "акту. По истечении срока акт закрывается без подписи органа, и вычет "
                 "применяется.") % {"rv": rv, "day": _day(act.body_sign_due_on)},
               link)
        return
    act.signed_at = signature.signed_at
    act.save(update_fields=["signed_at"])
    _act_stands(rv, act)
    rv.record_act_signed(
        by=signer,
        description=_("Акт сверки, версия %(v)s, подписан сторонами") % {"v": act.version},
    )
    rv.save()
    _write_penalties(rv, act, signer)
    notify(_assessors(rv) + _body_staff(rv),
           _("Акт сверки по перепроверке «%(rv)s» подписан обеими сторонами.") % {"rv": rv},
           link)


@transaction.atomic
def reverification_close(
    *, actor, reverification: Reverification, note: str = ""
) -> Reverification:
    rv = _lock(reverification)
    _require_work(actor, rv)
    if rv.state not in (Reverification.State.ACT_SIGNED, Reverification.State.ACT_NOT_SIGNED):
        raise DomainError(_("Завершить можно после подписания акта обеими сторонами или его "
                          "закрытия без подписи органа по истечении срока."),
                          code="state")
    rv.close(by=actor, description=note or _("Перепроверка завершена"))
    rv.save()
    return rv


@transaction.atomic
def reverification_reopen(*, actor, reverification: Reverification, reason: str) -> Reverification:
    """Reopen the findings after the act was issued or signed: the act stays as it is (a signed
    version is never changed) and is marked superseded; the next act is a new version. Until the
    new act is signed, the body's scoring input keeps the last signed act's facts."""
    rv = _lock(reverification)
    _require_work(actor, rv)
    if not reason.strip():
        raise DomainError(_("Укажите причину изменения акта."), code="reason")
    if rv.state not in (Reverification.State.ACT_ISSUED, Reverification.State.ACT_SIGNED,
                        Reverification.State.ACT_NOT_SIGNED, Reverification.State.CLOSED):
        raise DomainError(_("Акт ещё не сформирован: факты можно менять и так."), code="state")
    act = current_act(rv)
    if act is not None:
        act.superseded_at = clock.now()
        act.superseded_reason = reason[:500]
        act.save(update_fields=["superseded_at", "superseded_reason"])
    rv.reopen(by=actor, description=reason)
    rv.save()
    audit_record(actor=actor, obj=rv, action="act_supersede",
                 changes={"act": (act.version if act else None, None)}, reason=reason)
    notify(_body_heads(rv),
           _("Акт сверки по перепроверке «%(rv)s» будет заменён новой версией: %(reason)s")
           % {"rv": rv, "reason": reason}, _link(rv))
    return rv


# --- Reads ---------------------------------------------------------------------------------------


def findings_for(*, cycle: Cycle, body: Organisation, direction: str) -> list[Finding]:
    """The findings of the body's closed reconciliation act on ``direction`` in ``cycle`` (signed
    by both sides, or closed as not signed by the body) — what the conclusion's "Выводы и
    рекомендации" are prefilled with (p.21). Empty when the body was not re-verified on it or no
    act is closed yet; the latest closed version counts."""
    act = (
        ReconciliationAct.objects.filter(
            Q(signed_at__isnull=False) | Q(closed_unsigned_at__isnull=False),
            reverification__cycle=cycle, reverification__body=body,
            reverification__direction=direction,
        )
        .order_by("-version")
        .first()
    )
    if act is None:
        return []
    ids = [row["finding"] for row in act.facts]
    by_id = Finding.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


# --- The body's term, its remarks, the closure without its signature (p.19–20) -----------------


def _act_link(act: ReconciliationAct) -> str:
    return reverse("reverification:reverification_act", args=[act.pk])


def _lock_act(act: ReconciliationAct) -> tuple[ReconciliationAct, Reverification]:
    """Lock order of every act path: the signed document, then the act, then the
    re-verification (as the signing service does)."""
    from reporting.models import SignedDocument

    document_id = ReconciliationAct.objects.values_list("signed_document_id", flat=True).get(
        pk=act.pk)
    SignedDocument.objects.select_for_update().filter(pk=document_id).exists()
    act = lock(act)
    return act, _lock(act.reverification)


def _evaluator_signature(act: ReconciliationAct):
    """The evaluating body's signature on the act (its first slot), or None."""
    slot = (act.signed_document.slots.filter(role=EVALUATOR_SLOT_ROLE)
            .select_related("signature").first() if act.signed_document_id else None)
    return getattr(slot, "signature", None) if slot is not None else None


def _body_signed(act: ReconciliationAct) -> bool:
    return bool(act.signed_document_id and act.signed_document.slots.filter(
        role=BODY_SLOT_ROLE, signature__isnull=False).exists())


@transaction.atomic
def reconciliation_act_remarks(*, actor, act: ReconciliationAct, remarks: str) -> ReconciliationAct:
    """The body records its disagreement as remarks on the act, without signing it (p.19–20):
    its head, while the act waits for the body (until it is signed or closed). The remarks are
    kept with who and when, shown on the act's page and printed on the act's closure record."""
    from assessments.reverification.services.common import is_body_head

    act, rv = _lock_act(act)
    if not is_body_head(actor, rv):
        raise PermissionDenied
    remarks = (remarks or "").strip()
    if not remarks:
        raise DomainError(_("Изложите замечания к акту."), code="remarks")
    if act.superseded_at is not None or rv.state != Reverification.State.ACT_ISSUED:
        raise DomainError(_("Акт не ожидает подписи органа: замечания не вносятся."),
                          code="state")
    if _body_signed(act):
        raise DomainError(_("Акт уже подписан органом."), code="state")
    before = act.body_remarks
    act.body_remarks = remarks[:900]
    act.body_remarks_at = clock.now()
    act.body_remarks_by = actor
    act.save(update_fields=["body_remarks", "body_remarks_at", "body_remarks_by"])
    audit_record(actor=actor, obj=rv, action="act_remarks",
                 changes={f"act.{act.version}.remarks": (before, act.body_remarks)},
                 reason=act.body_remarks)
    notify(_assessors(rv),
           _("Оцениваемый орган внёс замечания к акту сверки по перепроверке «%(rv)s»: "
             "%(remarks)s") % {"rv": rv, "remarks": act.body_remarks},
           _act_link(act))
    return act


def act_close_unsigned_blocker(act: ReconciliationAct, today=None) -> str:
    """Why the evaluating body may not (yet) close ``act`` as not signed by the body ("" when
    it may): the act must wait for the body's signature, the evaluating body must have signed it
    (the body's term starts then), and the term must have passed."""
    rv = act.reverification
    if act.superseded_at is not None or rv.state != Reverification.State.ACT_ISSUED:
        return str(_("Акт не ожидает подписей."))
    if _evaluator_signature(act) is None:
        return str(_("Сначала акт подписывает представитель уполномоченного органа: срок "
                     "органа начинается с этой подписи."))
    if _body_signed(act):
        return str(_("Акт уже подписан органом."))
    today = today or clock.today()
    if act.body_sign_due_on is None or today <= act.body_sign_due_on:
        return str(_("Срок подписания акта органом ещё не истёк: он истекает %(day)s.")
                   % {"day": _day(act.body_sign_due_on)})
    return ""


@transaction.atomic
def reconciliation_act_close_unsigned(
    *, actor, act: ReconciliationAct, reason: str = "",
) -> ReconciliationAct:
    """Past the body's term, the evaluating body closes the act as "not signed by the body"
    (p.19–20): a state of its own (the re-verification ``act_not_signed``, the act's closure
    ``not_signed_by_body``), never "signed", recorded with who and when. The deduction applies
    as for a signed act: the act's fact counts enter the body's scoring input. A record of the
    closure (annex 1 with the closure printed, the body's remarks if any) is rendered beside the
    act, whose signed file never changes."""
    from reporting.services import document_request as render_request

    act, rv = _lock_act(act)
    _require_work(actor, rv)
    blocker = act_close_unsigned_blocker(act)
    if blocker:
        raise DomainError(blocker, code="state")
    now = clock.now()
    act.closed_unsigned_at = now
    act.closed_unsigned_by = actor
    act.closed_unsigned_reason = (reason or "").strip()[:500]
    act.save(update_fields=["closed_unsigned_at", "closed_unsigned_by", "closed_unsigned_reason"])
    _act_stands(rv, act)
    rv.close_act_unsigned(
        by=actor,
        description=_("Акт сверки, версия %(v)s, закрыт без подписи органа: срок истёк %(day)s")
        % {"v": act.version, "day": _day(act.body_sign_due_on)},
    )
    rv.save()
    audit_record(actor=actor, obj=rv, action="act_close_unsigned",
                 changes={f"act.{act.version}": ("pending", act.closure)},
                 reason=act.closed_unsigned_reason)
    _write_penalties(rv, act, actor)
    act.closure_document = render_request(kind=ACT_DOCUMENT_KIND, subject=rv,
                                          version=act.version, requested_by=actor,
                                          render_now=True)
    act.save(update_fields=["closure_document"])
    notify(_body_staff(rv) + _assessors(rv),
           _("Акт сверки по перепроверке «%(rv)s» закрыт без подписи органа: срок подписания "
             "истёк %(day)s. Вычет %(d)s применяется.")
           % {"rv": rv, "day": _day(act.body_sign_due_on), "d": act.deduction},
           _act_link(act))
    return act


def act_actions(user, act: ReconciliationAct) -> frozenset[str]:
    """What ``user`` may do on the act's page besides signing: ``remarks`` (the body's head
    while the act waits for the body), ``close_unsigned`` (the evaluating body's people on the
    direction, past the body's term)."""
    from assessments.reverification.services.common import is_body_head

    rv = act.reverification
    actions = set()
    waiting = act.superseded_at is None and rv.state == Reverification.State.ACT_ISSUED
    if waiting and is_body_head(user, rv) and not _body_signed(act):
        actions.add("remarks")
    if waiting and access.can(user, "work", rv) and not act_close_unsigned_blocker(act):
        actions.add("close_unsigned")
    return frozenset(actions)


def act_blocker(*, cycle: Cycle, body: Organisation, direction: str) -> str:
    """Why a conclusion on ``direction`` may not be drafted yet because of re-verification ("" when
    it may): the body is re-verified on it and its act is not closed — signed by both sides, or
    closed as not signed by the body past its term (p.19–20). A body removed from the selection
    is not re-verified."""
    rv = (
        Reverification.objects.filter(cycle=cycle, body=body, direction=direction)
        .exclude(state=Reverification.State.CANCELLED)
        .first()
    )
    if rv is None or rv.state in (Reverification.State.ACT_SIGNED,
                                  Reverification.State.ACT_NOT_SIGNED,
                                  Reverification.State.CLOSED):
        return ""
    if rv.state == Reverification.State.ACT_ISSUED:
        act = current_act(rv)
        due = act.body_sign_due_on if act is not None else None
        return str(_("Орган проходит перепроверку по этому направлению, и акт сверки ещё не "
                     "закрыт: заключение формируется после подписания акта сторонами или его "
                     "закрытия без подписи органа по истечении срока%(due)s (п.19–20).")
                   % {"due": (_(" (срок органа: до %(day)s)") % {"day": _day(due)})
                      if due else ""})
    return str(_("Орган проходит перепроверку по этому направлению (%(state)s): заключение "
                 "формируется после того, как акт сверки будет сформирован и закрыт (п.19–20).")
               % {"state": rv.get_state_display()})


def act_terms_job(*, today=None) -> int:
    """The clock's job (beat): the body's head is reminded the working day before its act's term
    ends and on its last day; once the term has passed the assessors are told to close the act.
    Idempotent (keyed notifications). Returns the notifications sent."""
    today = today or clock.today()
    sent = 0
    acts = (
        ReconciliationAct.objects.filter(
            reverification__state=Reverification.State.ACT_ISSUED, superseded_at__isnull=True,
            signed_at__isnull=True, closed_unsigned_at__isnull=True,
            body_sign_due_on__isnull=False,
        )
        .select_related("reverification__cycle", "reverification__body",
                        "reverification__evaluator")
    )
    for act in acts:
        rv, due = act.reverification, act.body_sign_due_on
        if today <= due:
            left = calendar.working_days_between(today, due)
            if left > 1:
                continue
            sent += len(notify(
                _body_heads(rv),
                _("Срок подписания акта сверки по перепроверке «%(rv)s» истекает %(day)s: "
                  "подпишите акт или внесите замечания. По истечении срока акт закрывается "
                  "уполномоченным органом без подписи органа, и вычет применяется (п.19–20).")
                % {"rv": rv, "day": _day(due)},
                _act_link(act), key=f"act-term:{act.pk}:{due.isoformat()}:{left}",
            ))
        else:
            sent += len(notify(
                _assessors(rv),
                _("Срок подписания акта сверки органом по перепроверке «%(rv)s» истёк %(day)s: "
                  "закройте акт как не подписанный органом.") % {"rv": rv, "day": _day(due)},
                _act_link(act), key=f"act-term-passed:{act.pk}:{due.isoformat()}",
            ))
    return sent
