"""Home-page to-dos of scores (registered by AssessmentsConfig.ready).

* The coordinator and administrators: scoring inputs changed since the cycle's last recompute
  (peer averages are computed by the recompute, so it is due again).
* A body's staff: their input has a direction that is not scored yet because data are missing.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.kernel.todos import Todo, todo_provider
from assessments.models import BackgroundJob, Cycle, ScoringInput
from assessments.scores.services.scoring_inputs import scoring_inputs_current
from assessments.scores.services.sheets import RECOMPUTE_KIND


@todo_provider
def _recompute_due(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    if cycle is None or not (p.is_admin or p.is_coordinator):
        return []
    last = (
        BackgroundJob.objects.filter(kind=RECOMPUTE_KIND, object_id=cycle.pk,
                                     state=BackgroundJob.State.DONE)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )  # fmt: skip
    changed = ScoringInput.objects.filter(cycle=cycle)
    if last is not None:
        changed = changed.filter(created_at__gt=last)
    count = changed.values("body_id").distinct().count()
    if not count:
        return []
    return [
        Todo(
            title=_("Исходные данные изменились после последнего пересчёта оценок"),
            url=reverse("scores:cycle_scores", args=[cycle.code]),
            count=count,
        )
    ]


@todo_provider
def _inputs_incomplete(p: access.Principal, cycle: Cycle | None, today: date) -> list[Todo]:
    if cycle is None or not p.body_ids:
        return []
    incomplete = list(
        scoring_inputs_current(cycle=cycle, body_ids=p.body_ids)
        .exclude(draft={})
        .values_list("body_id", flat=True)
    )
    if not incomplete:
        return []
    url = (
        reverse("scores:scoring_input", args=[cycle.code, incomplete[0]])
        if len(incomplete) == 1
        else reverse("scores:cycle_scores", args=[cycle.code])
    )
    return [Todo(title=_("Исходные данные оценки неполные: направление не рассчитано"), url=url,
                 count=len(incomplete))]  # fmt: skip
