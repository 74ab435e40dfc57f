"""Writes of the overview: the export of all scores per criterion, a background job (national
size: ≈ 2,700 bodies × 4 sheets), its file kept under ``MEDIA_ROOT/exports/`` and downloaded by
whoever sees the job."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.kernel import clock
from assessments.kernel.jobs import job_create, job_enqueue, job_running
from assessments.models import BackgroundJob, Cycle, User

EXPORT_KIND = "overview_export"


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def export_path(job_id: int) -> Path:
    return export_dir() / f"scores-{job_id}.xlsx"


def scores_export_start(*, cycle: Cycle, actor, language: str) -> BackgroundJob:
    """Queue the XLSX export of every score per criterion the actor may see in ``cycle``."""
    from assessments.overview import tasks

    with transaction.atomic():
        job = job_create(kind=EXPORT_KIND, subject=cycle, actor=actor,
                         label=_("Выгрузка всех оценок по критериям: %(cycle)s")
                         % {"cycle": cycle})
        job_enqueue(tasks.export_scores, cycle.pk, actor.pk, language, job.pk, job=job,
                    kind=EXPORT_KIND)
    return job


def scores_export_run(*, cycle_id: int, user_id: int, language: str, job_id: int | None) -> dict:
    """Write the file (the task's work): one sheet per direction, progress per 1,000 rows; the
    file is written beside its final name and renamed when complete (never half a file)."""
    from assessments.overview import exports, selectors

    cycle = Cycle.objects.get(pk=cycle_id)
    user = User.objects.get(pk=user_id)
    with translation.override(language):
        tables = exports.scores_tables(user, cycle)
        total = sum(t.count or 0 for t in tables)
        path = export_path(job_id or 0)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        name = f"scores-{cycle.code}.xlsx"
        with job_running(job_id, total=total, message=_("Запись файла")) as progress:
            exports.write_xlsx(tables, partial, info=export_info(cycle, selectors.ranking_status(
                cycle)), progress=progress.advance)
            partial.replace(path)
            progress.result = {"rows": total, "name": name}
    return {"rows": total, "file": str(path), "name": name}


def export_info(cycle: Cycle, provisional: bool) -> list[tuple[str, str]]:
    """The "about" lines of every export: the cycle, when, and whether the scores are final."""
    return [
        (_("Цикл оценки"), str(cycle)),
        (_("Сформировано"), clock.now().strftime("%d.%m.%Y %H:%M")),
        (_("Статус оценок"), _("Предварительные: не все заключения окончательные")
         if provisional else _("Окончательные")),
    ]
