"""Thin Celery tasks of submission: imports (validate, apply, expire staging) and reminders.

Each task keeps the name it had in ``assessments.tasks`` (beat's schedule, queued messages and
results name tasks by string)."""

from celery import shared_task

from assessments.kernel.leases import LeasedTask


class _ImportJob(LeasedTask):
    """An import's validation or apply: a job that ends without finishing (its worker lost past
    the last attempt, cancelled, an unexpected error) fails its batch with the reason and
    deletes its staged rows."""

    stage = ""

    def job_ended(self, job, reason: dict) -> None:
        from assessments.submission.imports.pipeline import import_job_ended

        import_job_ended(batch_id=job.task_args[0], stage=self.stage, reason=reason)


class _ValidateJob(_ImportJob):
    stage = "validate"


class _ApplyJob(_ImportJob):
    stage = "apply"


@shared_task(name="assessments.tasks.import_validate", base=_ValidateJob)
def import_validate(batch_id: int) -> dict:
    """Validate an uploaded import file (streamed; rows staged; progress on the batch). A
    redelivered or resumed run of a batch left validating restarts it from the first row."""
    from assessments.submission.imports.pipeline import import_validate as run

    batch = run(batch_id=batch_id)
    return {"state": batch.state, "valid": batch.rows_valid, "invalid": batch.rows_invalid}


class QuarantineCheckJob(LeasedTask):
    """The check of a document in quarantine (issue 16): a job that ends without finishing —
    its worker lost past the last attempt, an error, cancelled — leaves the document *failed*
    with the reason (never "Проверяется" for good) and tells its uploader.
    ``registers``: the module that registers the kind (imported first: the sweep may run this
    in a process that has not). The task's arguments are ``(kind, pk)``."""

    registers = ""

    def job_ended(self, job, reason: dict) -> None:
        from importlib import import_module

        from assessments.submission.services.quarantine import quarantine_failed

        if self.registers:
            import_module(self.registers)
        key, pk = self.kind_and_pk(job.task_args)
        quarantine_failed(key, pk, reason)

    def kind_and_pk(self, args) -> tuple[str, int]:
        return args[0], args[1]


class _EvidenceJob(LeasedTask):
    """A document's quarantine check whose job ends without finishing (its worker lost past the
    last attempt, cancelled, an unexpected error): the document, still in quarantine, is
    refused with the reason and its uploader told — never left "being checked" for ever."""

    def job_ended(self, job, reason: dict) -> None:
        from assessments.submission.services.evidence import evidence_check_abandoned

        evidence_check_abandoned(evidence_id=job.task_args[0])


@shared_task(name="assessments.tasks.evidence_check", base=_EvidenceJob)
def evidence_check(evidence_id: int) -> dict:
    """Check a document in quarantine (stamps, archive and XML bounds) in a capped subprocess:
    accept, hold for the body's head, or refuse and delete it."""
    from assessments.submission.services.evidence import evidence_check as run

    evidence = run(evidence_id=evidence_id)
    return {"state": evidence.check_state if evidence is not None else "refused"}


@shared_task(name="assessments.tasks.import_apply", base=_ApplyJob)
def import_apply(batch_id: int, actor_id: int) -> dict:
    """Apply a confirmed import atomically. A refusal or a failure is recorded on the batch by
    the service (FAILED, its reason shown on the page, nothing applied) and not raised: the page
    polls the batch, and where Celery runs in-process it would otherwise break the request
    that confirmed. Redelivered after a worker's loss, it applies the batch still APPLYING."""
    import logging

    from django.core.exceptions import PermissionDenied

    from assessments.kernel.errors import DomainError
    from assessments.kernel.leases import JobStopped
    from assessments.models import ImportBatch, User
    from assessments.submission.imports.pipeline import import_apply as run

    try:
        batch = run(batch_id=batch_id, actor=User.objects.get(pk=actor_id))
    except JobStopped:  # cancelled or overtaken: the lease says so, nothing applied
        raise
    except (DomainError, PermissionDenied):
        batch = ImportBatch.objects.get(pk=batch_id)
    except Exception:
        logging.getLogger(__name__).exception("import %s: apply failed", batch_id)
        batch = ImportBatch.objects.get(pk=batch_id)
    return {"state": batch.state, "created": batch.rows_created, "updated": batch.rows_updated}


@shared_task(name="assessments.tasks.import_staging_expire")
def import_staging_expire() -> dict:
    """Beat job: staged rows of batches validated and left unapplied for two days are deleted
    and the batches discarded (idempotent)."""
    from assessments.submission.imports.pipeline import import_staging_expire as run

    return run()


@shared_task(name="assessments.tasks.submission_reminders")
def submission_reminders() -> dict:
    """Beat job: remind bodies of report deadlines and assessors of reports waiting (idempotent)."""
    from assessments.submission.services.reminders import send_reminders

    return send_reminders()
