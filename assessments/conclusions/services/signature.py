"""The signature of a conclusion: PAdES signatures in the seed's order, the signing service's
hook after each of them, and annex 3 waiting for its annex 5 (METHODOLOGY.md §7). The slots'
resolvers are in ``assessments.conclusions.signing``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.conclusions.services.common import (
    SIGNED_OR_LATER,
    _document,
    _link,
    _lock,
    _require,
    _signatories,
    _state_refused,
    _writers,
)
from assessments.conclusions.services.guard_scores import (
    require_current_scores,
    stale_scores_reason,
)
from assessments.kernel import clock
from assessments.kernel.audit import audit_record
from assessments.kernel.errors import DomainError
from assessments.kernel.notifications import notify
from assessments.models import Conclusion, ConclusionDirection, ConclusionState


def _require_automation_signed(c: Conclusion) -> None:
    """Annex 5 feeds criterion 3 of annex 3: annex 3 is signed after annex 5 is, with the same
    K3 (METHODOLOGY.md §7)."""
    automation = (
        Conclusion.objects.filter(cycle=c.cycle, body=c.body,
                                  direction=ConclusionDirection.AUTOMATION)
        .exclude(state=ConclusionState.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    if automation is None or automation.state not in SIGNED_OR_LATER:
        raise DomainError(
            _("Заключение по приложению 3 подписывается после подписания заключения по "
              "критерию «Автоматизация государственных услуг» (приложение 5)."),
            code="annex5_first",
        )
    if automation.values.get("K3") != c.values.get("K3"):
        raise DomainError(
            _("Балл по критерию «Автоматизация государственных услуг» (%(here)s) не совпадает "
              "с подписанным заключением по приложению 5 (%(there)s).")
            % {"here": c.values.get("K3"), "there": automation.values.get("K3")},
            code="annex5_mismatch",
        )


def sign_blocker(c: Conclusion) -> str:
    """Why ``c`` may not be signed yet regardless of who asks ("" when nothing blocks it)."""
    if c.state != ConclusionState.APPROVED:
        return ""
    stale = stale_scores_reason(c)
    if stale:
        return stale
    if c.annex != 3:
        return ""
    try:
        _require_automation_signed(c)
    except DomainError as exc:
        return exc.message
    return ""


def conclusion_sign(*, conclusion: Conclusion, user, passphrase: str) -> Conclusion:
    """Add ``user``'s PAdES signature in the seed's order (approved → signed after the last).

    The first signature freezes the approved version's PDF (rendered now if the background
    rendering has not finished); each signature is verified intact and trusted before it is
    stored. Annex 3 waits for its annex 5; nothing is signed while the body's stored scores
    differ from the conclusion's (it is redrafted first). Signing errors (``SigningError``)
    come from the signing service with their own messages.
    """
    from reporting.signing.blocks import signature_block
    from reporting.signing.services import signed_document_freeze, signed_document_sign

    with transaction.atomic():
        c = _lock(conclusion)
        _require(user, "sign", c)
        if c.state != ConclusionState.APPROVED:
            raise _state_refused(c, _("подписать заключение"))
        require_current_scores(c)
        if c.annex == 3:
            _require_automation_signed(c)
        document = c.signed_document
        if document is None:
            rendered = _document(c, draft=False, requested_by=user, render_now=True)
            document = signed_document_freeze(
                rendered_document=rendered,
                signatories=signature_block(c.annex),
                title=str(c),
                created_by=user,
            )
            c.rendered_document = rendered
            c.signed_document = document
            c.save(update_fields=["rendered_document", "signed_document"])
        # The signing service calls conclusion_signature_recorded (its hook) in this transaction.
        signed_document_sign(
            signed_document=document, user=user, passphrase=passphrase,
            reason=_("Подписание заключения"),
        )
    return Conclusion.objects.get(pk=c.pk)


def conclusion_signature_recorded(*, conclusion: Conclusion, signature, complete: bool) -> None:
    """The signing service's hook, after each signature of a conclusion's document, in its
    transaction (whichever page signed): the conclusion must be approved and, for annex 3, its
    annex 5 signed — otherwise the signature is undone; after the last one, approved → signed."""
    from reporting.signing.errors import SigningRefused

    c = _lock(conclusion)
    try:
        if c.state != ConclusionState.APPROVED:
            raise _state_refused(c, _("подписать заключение"))
        require_current_scores(c)
        if c.annex == 3:
            _require_automation_signed(c)
    except DomainError as exc:
        raise SigningRefused(exc.message)
    c.updated_at = clock.now()
    if complete:
        c.complete_signing(by=signature.signer, description=_("Подписано всеми подписантами"))
        c.save()
        notify(_writers(c), _("Заключение подписано и готово к направлению органу: %(c)s")
               % {"c": c}, _link(c))
    else:
        c.save(update_fields=["updated_at"])
        audit_record(actor=signature.signer, obj=c, action="conclusion_signature",
                     changes={"signatures": (signature.order - 1, signature.order)},
                     reason=signature.printed_name)
        notify(_signatories(c), _("Заключение ожидает следующей подписи: %(c)s") % {"c": c},
               _link(c))
