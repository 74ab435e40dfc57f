"""Thin Celery tasks of scores: assembly of scoring inputs, a body's sheets, the cycle recompute.

Each task keeps the name it had in ``assessments.tasks`` (beat's schedule, queued messages and
results name tasks by string)."""

from celery import shared_task


@shared_task(name="assessments.tasks.assemble_scoring_input")
def assemble_scoring_input(cycle_id: int, body_id: int) -> int | None:
    """Assemble the body's scoring input from accepted reports, imports and openness scores
    (an engine refusal is recorded and the assessors notified by the service: not raised)."""
    from assessments.models import Cycle, Organisation
    from assessments.scores.services.assembly import scoring_input_assemble

    result = scoring_input_assemble(
        cycle=Cycle.objects.get(pk=cycle_id), body=Organisation.objects.get(pk=body_id), actor=None
    )
    return getattr(result, "pk", None)


@shared_task(name="assessments.tasks.assemble_after_import")
def assemble_after_import(batch_id: int) -> int:
    """After an import: reassemble the scoring input of every body it touched."""
    from assessments.kernel.jobs import job_enqueue
    from assessments.models import ImportBatch
    from assessments.submission.imports.pipeline import bodies_of_batch

    batch = ImportBatch.objects.get(pk=batch_id)
    bodies = bodies_of_batch(batch_id)
    for body_id in bodies:
        job_enqueue(assemble_scoring_input, batch.cycle_id, body_id)
    return len(bodies)


@shared_task(name="assessments.tasks.score_body")
def score_body(cycle_id: int, body_id: int) -> dict:
    """Recompute one body's sheets from its current scoring input (queued after each change)."""
    from assessments.models import Cycle, Organisation
    from assessments.scores.services.sheets import score_body as score_body_service

    sheets = score_body_service(
        cycle=Cycle.objects.get(pk=cycle_id), body=Organisation.objects.get(pk=body_id)
    )
    return {direction: str(sheet.final) for direction, sheet in sheets.items()}


@shared_task(name="assessments.tasks.recompute_cycle")
def recompute_cycle(cycle_id: int, job_id: int | None = None, actor_id: int | None = None) -> dict:
    """Peer averages, then every body of the cycle; progress in the BackgroundJob ``job_id``."""
    from assessments.kernel.leases import current_job_id
    from assessments.models import Cycle, User
    from assessments.scores.services.sheets import cycle_recompute

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return cycle_recompute(cycle=Cycle.objects.get(pk=cycle_id), actor=actor,
                           job_id=job_id or current_job_id())

