"""Guard: a conclusion goes to review only with its text written.

The head of the unit reviews what the signatories will sign: the analysis of every criterion of
the annex's form and "Выводы и рекомендации" (p.21). An empty one refuses the submission for
review, naming what is missing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.conclusions.services.common import CRITERIA
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion


def missing_analysis(c: Conclusion) -> list[str]:
    """The criteria of ``c``'s annex whose analysis is empty."""
    return [code for code in CRITERIA[c.annex] if not (c.analysis.get(code) or "").strip()]


def require_text_written(c: Conclusion) -> None:
    """Refuse (DomainError ``incomplete``) while an analysis or the recommendations are empty."""
    missing = missing_analysis(c)
    if missing:
        raise DomainError(
            _("Заполните анализ по критериям: %(codes)s.") % {"codes": ", ".join(missing)},
            code="incomplete",
        )
    if not (c.recommendations or "").strip():
        raise DomainError(_("Заполните раздел «Выводы и рекомендации»."), code="incomplete")
