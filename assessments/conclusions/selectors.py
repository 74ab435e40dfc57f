"""Reads of conclusions that pages share, always through the access rules."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.kernel import access
from assessments.models import Conclusion, Cycle


def conclusions_for(user, cycle: Cycle | None = None) -> QuerySet:
    """The conclusions ``user`` may see (of ``cycle``), with what the list pages print."""
    qs = access.visible(user, Conclusion).select_related(
        "cycle", "body", "evaluator", "signed_document"
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("body__name_ru", "annex", "-version")


def conclusion_for_page(user, pk: int):
    return access.get_visible_or_404(
        user,
        Conclusion.objects.select_related(
            "cycle", "body", "evaluator", "score_sheet", "supersedes", "signed_document",
            "rendered_document", "submitted_by", "approved_by", "issued_by",
        ),
        pk=pk,
    )
