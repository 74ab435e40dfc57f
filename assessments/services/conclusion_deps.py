"""The conclusions' dependencies on parts built in parallel, in one place (INTERFACES.md).

* ``findings_for(*, cycle, body, direction)`` — the re-verification findings that prefill
  "Выводы и рекомендации" (p.21), from the re-verification part.

Until a part lands on main, the stand-in here keeps the agreed behaviour in its simplest form; when
it lands this module imports the real one and the stand-in is deleted.
"""

from __future__ import annotations


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
