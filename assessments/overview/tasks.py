"""Thin tasks of the overview: the export of all scores (ids in, the service does the work)."""

from celery import shared_task


@shared_task(name="assessments.overview.export_scores")
def export_scores(cycle_id: int, user_id: int, language: str, job_id: int | None = None) -> dict:
    from assessments.kernel.leases import current_job_id
    from assessments.overview.services import scores_export_run

    return scores_export_run(cycle_id=cycle_id, user_id=user_id, language=language,
                             job_id=job_id or current_job_id())
