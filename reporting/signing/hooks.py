"""What other modules do when a document of theirs is signed.

The module that froze a document registers a handler for its kind; the signing service calls it
after each signature, inside the same transaction (a handler that raises undoes the signature):

    from reporting.signing.hooks import on_signature

    @on_signature("annex1")
    def _act_signed(signed_document, signature, *, complete: bool) -> None:
        if complete:  # the last signatory of the block has signed
            reconciliation_act_mark_signed(act=signed_document.subject, by=signature.signer)

Handlers only call their own module's services: the transition, its log row and any task queued
with ``transaction.on_commit`` stay where they belong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SignatureHandler = Callable[..., None]
_HANDLERS: dict[str, list[SignatureHandler]] = {}


def on_signature(kind: str) -> Callable[[SignatureHandler], SignatureHandler]:
    def decorator(func: SignatureHandler) -> SignatureHandler:
        _HANDLERS.setdefault(kind, []).append(func)
        return func

    return decorator


def remove_handler(kind: str, func: SignatureHandler) -> None:
    if func in _HANDLERS.get(kind, []):
        _HANDLERS[kind].remove(func)


def notify(signed_document: Any, signature: Any, *, complete: bool) -> None:
    for handler in list(_HANDLERS.get(signed_document.kind, ())):
        handler(signed_document, signature, complete=complete)
