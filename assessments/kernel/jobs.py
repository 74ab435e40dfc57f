"""Progress of long-running jobs (a cycle recompute, an import, a batch of PDFs).

How to use it for a new kind of job::

    # the service that starts the job (in the user's request)
    job = job_create(kind="import_monitoring", label=_("Импорт …"), subject=cycle, actor=user)
    job_enqueue(tasks.import_monitoring, cycle.pk, job=job)   # the outbox: sent after commit
    return job          # the view redirects to reverse("scores:job_detail", args=[job.pk])

    # the service doing the work (called by the thin task)
    with job_running(job_id, total=len(rows), message="…") as progress:
        for batch in batches:                 # a fixed number of batches, not one per row
            …
            progress.advance(len(batch))      # one UPDATE, committed at once
        progress.result = {"imported": n}     # stored when the block ends
    # an exception inside the block marks the job failed (error text kept) and is re-raised

``job_detail`` shows a progress bar that polls itself with htmx every second until the job ends;
``{% include "assessments/partials/job_progress.html" with job=job %}`` embeds the same bar in
any page. A job is visible to whoever started it, to administrators and to the coordinator.

The task runs under the job's lease (``assessments.kernel.leases``): queued through the outbox,
renewed by a heartbeat while it runs, resumed or failed by the sweep if its worker is lost; a
job cancelled while it runs stops at its next ``advance``.

Progress updates are single ``UPDATE … SET done = done + n`` statements outside the work's own
transaction (autocommit), so the page sees them while the job runs, and two workers advancing one
job never lose an update.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from assessments.kernel import clock
from assessments.kernel.leases import JobStopped, job_enqueue, job_fence, lapsed_q
from assessments.models import BackgroundJob

__all__ = [
    "JobProgress",
    "job_active",
    "job_advance",
    "job_create",
    "job_enqueue",
    "job_fail",
    "job_finish",
    "job_running",
    "job_start",
]
def job_create(
    *, kind: str, label: str, subject: models.Model | None = None, actor=None, total: int = 0
) -> BackgroundJob:
    """A queued job (create it before queueing the task, pass its id to the task)."""
    return BackgroundJob.objects.create(
        kind=kind,
        label=str(label)[:255],
        total=total,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
        started_by=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
    )


def job_active(*, kind: str, subject: models.Model) -> BackgroundJob | None:
    """The queued or running job of ``kind`` about ``subject``, if any. A running job whose
    lease lapsed (its worker lost) is not active: it never blocks the next one (the sweep
    resumes or fails it)."""
    return (
        BackgroundJob.objects.filter(
            kind=kind,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            state__in=[BackgroundJob.State.QUEUED, BackgroundJob.State.RUNNING],
        )
        .exclude(lapsed_q())
        .order_by("-created_at", "-id")
        .first()
    )


def job_start(job_id: int, *, total: int, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        state=BackgroundJob.State.RUNNING,
        total=total,
        done=0,
        message=str(message)[:255],
        error="",
        started_at=clock.now(),
        finished_at=None,
        heartbeat_at=timezone.now(),  # alive (a run outside a lease counts its progress)
    )


def job_advance(job_id: int, n: int = 1, *, message: str | None = None) -> None:
    """Add ``n`` to the job's done count (one statement; safe from several workers)."""
    fields: dict[str, Any] = {"done": F("done") + n, "heartbeat_at": timezone.now()}
    if message is not None:
        fields["message"] = str(message)[:255]
    BackgroundJob.objects.filter(pk=job_id).update(**fields)


_OPEN = [BackgroundJob.State.QUEUED, BackgroundJob.State.RUNNING]


def job_finish(job_id: int, *, result: dict | None = None, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job_id, state__in=_OPEN).update(
        state=BackgroundJob.State.DONE,
        done=F("total"),
        result=result or {},
        message=str(message)[:255],
        finished_at=clock.now(),
    )


def job_fail(job_id: int, *, error: str) -> None:
    BackgroundJob.objects.filter(pk=job_id, state__in=_OPEN).update(
        state=BackgroundJob.State.FAILED, error=str(error)[:5000], finished_at=clock.now()
    )


@dataclass
class JobProgress:
    job_id: int | None
    result: dict = field(default_factory=dict)
    message: str = ""

    def advance(self, n: int = 1, *, message: str | None = None) -> None:
        job_fence()  # cancelled or taken over (the database says so): stop here
        if self.job_id is not None:
            job_advance(self.job_id, n, message=message)

    def set_total(self, total: int) -> None:
        if self.job_id is not None:
            BackgroundJob.objects.filter(pk=self.job_id).update(total=total)


@contextmanager
def job_running(job_id: int | None, *, total: int, message: str = ""):
    """Run a block as the job ``job_id`` (None: no progress is recorded, the block just runs)."""
    progress = JobProgress(job_id=job_id)
    # each write of the job's row is fenced: an overtaken run (its worker stalled past its
    # lease) neither restarts, fails nor finishes the job of the run that took over
    if job_id is not None:
        with transaction.atomic():
            job_fence()
            job_start(job_id, total=total, message=message)
    try:
        yield progress
    except BaseException as exc:
        if job_id is not None and not isinstance(exc, JobStopped):
            try:
                with transaction.atomic():
                    job_fence()
                    job_fail(job_id, error=f"{type(exc).__name__}: {exc}")
            except JobStopped:
                pass  # no longer this run's job: its error is logged, not written on it
        raise
    if job_id is not None:
        with transaction.atomic():
            job_fence()
            job_finish(job_id, result=progress.result, message=progress.message)
