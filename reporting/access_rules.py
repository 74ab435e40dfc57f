"""Access rules of the reporting app's objects (registered with ``assessments.kernel.access``).

Signed documents: administrators and staff see every one; a person sees the documents whose
signature block names them, and those they signed. Modules that freeze documents with role slots
(``reporting.signing.roles``) add their own visibility rule for ``SignedDocument`` (rules are
OR-ed), e.g. "the documents whose subject I may see".
"""

from __future__ import annotations

from django.db.models import Q

from assessments.kernel import access
from reporting.models import SignatorySlot, Signature, SignedDocument
from reporting.signing.services import signing_turn


@access.visibility(SignedDocument)
def _signed_documents(p: access.Principal) -> Q:
    if p.is_admin or getattr(p.user, "is_staff", False):
        return access.EVERYTHING
    # Through subqueries, not joins over the to-many slots: no duplicate rows.
    named = SignatorySlot.objects.filter(user_id=p.user.pk).values("signed_document_id")
    signed = Signature.objects.filter(signer_id=p.user.pk).values("signed_document_id")
    return Q(pk__in=named) | Q(pk__in=signed)


@access.action(SignedDocument, "sign")
def _sign(p: access.Principal, document: SignedDocument, **context) -> bool:
    return signing_turn(signed_document=document, user=p.user).may_sign
