"""The conclusions' dependencies on parts built in parallel, in one place (INTERFACES.md).

* ``findings_for(*, cycle, body, direction)`` — the re-verification findings that prefill
  "Выводы и рекомендации" (p.21), from the re-verification part;
* ``notify(users, text, link, email=True)`` — in-app notification and e-mail, from the
  submission part.

Until a part lands on main, the stand-in here keeps the agreed behaviour in its simplest form; when
it lands this module imports the real one and the stand-in is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable


def findings_for(*, cycle, body, direction) -> list:
    """The findings of the body's re-verification on ``direction`` (none before it exists)."""
    try:
        from assessments.selectors import findings_for as real
    except ImportError:
        try:
            from assessments.services.reverification import findings_for as real
        except ImportError:
            return []
    return list(real(cycle=cycle, body=body, direction=direction))


def notify(users: Iterable, text: str, link: str = "", *, email: bool = True) -> list:
    """Notify people in the application and by e-mail (the e-mail leaves after commit)."""
    try:
        from assessments.services.notifications import notify as real
    except ImportError:
        real = None
    if real is not None:
        return real(users, text, link, email=email)
    # Stand-in: e-mail only, queued after commit.
    from django.db import transaction

    addresses = sorted({u.email for u in users if u is not None and getattr(u, "email", "")})
    if email and addresses:
        from assessments.tasks import conclusion_send_mail

        transaction.on_commit(lambda: conclusion_send_mail.delay(addresses, text, link))
    return []
