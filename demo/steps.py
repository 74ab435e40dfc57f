"""The demo data's steps, in the order ``seed_demo`` runs them (each idempotent).

The people, the registry and the current cycle come first; every later step uses them. The
re-verification step issues the signing credentials it needs itself; the last step gives every
remaining person one (the passphrase: the demo password).
"""

from __future__ import annotations

from collections.abc import Callable

from demo.conclusions import seed_conclusions
from demo.reverification import seed_reverification
from demo.scores import seed_scores
from demo.seed import seed_admin, seed_cycle, seed_evaluator_rules, seed_people, seed_registry
from demo.signing import seed_demo_signing
from demo.submission import seed_submission

DEMO_STEPS: tuple[Callable[[], None], ...] = (
    seed_admin,
    seed_registry,
    seed_evaluator_rules,
    seed_people,
    seed_cycle,
    seed_submission,
    seed_scores,
    seed_reverification,
    seed_conclusions,
    seed_demo_signing,
)
