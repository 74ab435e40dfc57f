"""Demo data: what `make run` loads (idempotent) and the logins it prints.

Each part of the application adds its demo records through a function registered in
``DEMO_STEPS``; ``seed_demo`` runs them in order. Every step must be idempotent: a second run
neither fails nor duplicates.
"""

from __future__ import annotations

from collections.abc import Callable

DEMO_PASSWORD = "demo-pass-2026"

# (username, role description) shown by `make run`; steps append to it.
DEMO_LOGINS: list[tuple[str, str]] = [("admin", "Администратор / administrator")]


def seed_admin() -> None:
    from assessments.models import User

    user, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "full_name": "Администратор системы",
            "position": "Администратор",
            "email": "admin@example.kz",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()


DEMO_STEPS: list[Callable[[], None]] = [seed_admin]
