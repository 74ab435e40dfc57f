"""Notifications: in-app rows and their e-mail copies, for any part of the application.

    notify(users, text, link="", email=True, key="") -> list[Notification]

Call it inside the transaction of the change it reports: the rows commit with the change and the
e-mails are sent by a task queued on commit (never from inside the transaction). With ``key``
a notification is sent at most once per person (reminders run from beat and may repeat).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from assessments.kernel import clock
from assessments.models import Notification


def _unique_users(users: Iterable) -> list:
    seen, result = set(), []
    for user in users:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def notify(users: Iterable, text: str, link: str = "", *, email: bool = True,
           key: str = "") -> list[Notification]:
    """Notify each of ``users`` once: an in-app notification and, with ``email``, an e-mail.

    Returns the notifications created (with ``key``, people already notified are skipped).
    """
    created: list[Notification] = []
    now = clock.now()
    for user in _unique_users(users):
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, text=text[:1000], link=link[:500], key=key, created_at=now
                    )
                )
        except IntegrityError:  # a concurrent run sent the same keyed notification
            continue
    if email and created:
        ids = [n.pk for n in created]

        from assessments.kernel.leases import job_enqueue
        from assessments.kernel.tasks import send_notification_emails

        job_enqueue(send_notification_emails, ids)  # the outbox: sent once this commits
    return created


def send_emails(ids: list[int]) -> int:
    """Send the e-mail copy of the given notifications not yet e-mailed (idempotent)."""
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        if note.user.email:
            site = getattr(settings, "SITE_URL", "").rstrip("/")
            link = f"\n\n{site}{note.link}" if note.link else ""
            send_mail(
                subject=note.text[:120],
                message=note.text + link,
                from_email=None,
                recipient_list=[note.user.email],
            )
            sent += 1
        Notification.objects.filter(pk=note.pk).update(emailed_at=clock.now())
    return sent


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())
