"""Thin Celery tasks of the assessment cycle."""

from celery import shared_task


@shared_task
def calendar_heartbeat() -> dict:
    """Beat job: report today's date and the next working day (proves the worker's clock)."""
    from assessments.kernel import calendar, clock

    today = clock.today()
    return {
        "today": today.isoformat(),
        "working_day": calendar.is_working_day(today),
        "next_working_day": calendar.add_working_days(today, 1).isoformat(),
    }


@shared_task
def add_working_days_task(day: str, n: int) -> str:
    """A calendar computation run on a worker (used by the worker test)."""
    from datetime import date

    from assessments.kernel import calendar

    return calendar.add_working_days(date.fromisoformat(day), n).isoformat()


@shared_task
def send_notification_emails(ids: list[int]) -> int:
    """E-mail copies of in-app notifications (idempotent: each is e-mailed once)."""
    from assessments.kernel.notifications import send_emails

    return send_emails(ids)


@shared_task
def assemble_scoring_input(cycle_id: int, body_id: int) -> int | None:
    """Assemble the body's scoring input from accepted reports, imports and openness scores
    (an engine refusal is recorded and the assessors notified by the service: not raised)."""
    from assessments.models import Cycle, Organisation
    from assessments.scores.services.assembly import scoring_input_assemble

    result = scoring_input_assemble(
        cycle=Cycle.objects.get(pk=cycle_id), body=Organisation.objects.get(pk=body_id), actor=None
    )
    return getattr(result, "pk", None)


@shared_task
def import_validate(batch_id: int) -> dict:
    """Validate an uploaded import file (streamed; rows staged; progress on the batch)."""
    from assessments.submission.imports.pipeline import import_validate as run

    batch = run(batch_id=batch_id)
    return {"state": batch.state, "valid": batch.rows_valid, "invalid": batch.rows_invalid}


@shared_task
def import_apply(batch_id: int, actor_id: int) -> dict:
    """Apply a confirmed import atomically. A refusal or a failure is recorded on the batch by
    the service (FAILED, its reason shown on the page, nothing applied) and not raised: the page
    polls the batch, and where Celery runs in-process it would otherwise break the request
    that confirmed. Redelivered after a worker's loss, it applies the batch still APPLYING."""
    import logging

    from django.core.exceptions import PermissionDenied

    from assessments.kernel.errors import DomainError
    from assessments.models import ImportBatch, User
    from assessments.submission.imports.pipeline import import_apply as run

    try:
        batch = run(batch_id=batch_id, actor=User.objects.get(pk=actor_id))
    except (DomainError, PermissionDenied):
        batch = ImportBatch.objects.get(pk=batch_id)
    except Exception:
        logging.getLogger(__name__).exception("import %s: apply failed", batch_id)
        batch = ImportBatch.objects.get(pk=batch_id)
    return {"state": batch.state, "created": batch.rows_created, "updated": batch.rows_updated}


@shared_task
def import_staging_expire() -> dict:
    """Beat job: staged rows of batches validated and left unapplied for two days are deleted
    and the batches discarded (idempotent)."""
    from assessments.submission.imports.pipeline import import_staging_expire as run

    return run()


@shared_task
def submission_reminders() -> dict:
    """Beat job: remind bodies of report deadlines and assessors of reports waiting (idempotent)."""
    from assessments.submission.services.reminders import send_reminders

    return send_reminders()


@shared_task
def assemble_after_import(batch_id: int) -> int:
    """After an import: reassemble the scoring input of every body it touched."""
    from assessments.models import ImportBatch
    from assessments.submission.imports.pipeline import bodies_of_batch

    batch = ImportBatch.objects.get(pk=batch_id)
    bodies = bodies_of_batch(batch_id)
    for body_id in bodies:
        assemble_scoring_input.delay(batch.cycle_id, body_id)
    return len(bodies)


@shared_task
def score_body(cycle_id: int, body_id: int) -> dict:
    """Recompute one body's sheets from its current scoring input (queued after each change)."""
    from assessments.models import Cycle, Organisation
    from assessments.scores.services.sheets import score_body as score_body_service

    sheets = score_body_service(
        cycle=Cycle.objects.get(pk=cycle_id), body=Organisation.objects.get(pk=body_id)
    )
    return {direction: str(sheet.final) for direction, sheet in sheets.items()}


@shared_task
def recompute_cycle(cycle_id: int, job_id: int | None = None, actor_id: int | None = None) -> dict:
    """Peer averages, then every body of the cycle; progress in the BackgroundJob ``job_id``."""
    from assessments.models import Cycle, User
    from assessments.scores.services.sheets import cycle_recompute

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return cycle_recompute(cycle=Cycle.objects.get(pk=cycle_id), actor=actor, job_id=job_id)


# --- Conclusions (issue 7): thin tasks taking ids ---------------------------------------------


@shared_task
def conclusion_windows_close() -> int:
    """Beat job: issued conclusions whose objection window has closed become final (p.111)."""
    from assessments.conclusions.services import conclusion_windows_close as close

    return len(close())
