"""Jobs that always finish or fail visibly: a transactional outbox, leases and heartbeats, the
sweep that resumes or fails what a lost worker left.

Every task of the project is a :class:`LeasedTask` (``config/celery.py`` makes it the app's task
class). A task is queued through :func:`job_enqueue`::

    job_enqueue(tasks.import_validate, batch.pk, kind="import_validate", subject=batch,
                label=_("Проверка файла"), actor=user)

which writes a ``BackgroundJob`` row in the caller's transaction (the outbox) and sends the
message once that commits (:func:`job_send`). A broker that is away never fails the request:
the send is skipped at once (a TCP probe, then a short back-off in this process), the row stays
``queued`` with ``sent_at`` empty — the pages say "queued — will start when the task service is
back" — and the sweep sends it when the broker returns.

While the task runs, its worker holds the job's lease: the claim (one ``UPDATE``: queued, or
running with a lapsed lease) sets ``lease_owner`` and ``heartbeat_at``, and a thread renews
``heartbeat_at`` every ``JOBS_HEARTBEAT_SECONDS``. A second delivery of the same job (``acks_late``
redelivery, a message sent again by the sweep) finds it done, cancelled, or running under a live
lease and does nothing: the work is never done twice at once. The beat's :func:`jobs_sweep`
(every ``JOBS_SWEEP_SECONDS``) finds running jobs whose heartbeat is older than
``JOBS_LEASE_SECONDS`` (the worker was killed, the machine lost) and queues them again (the task
restarts cleanly: each task is written to be run again) up to ``max_attempts``, then fails them
with the reason and calls the task's :meth:`LeasedTask.job_ended` to clean up its leftovers
(staged rows, partial files). The same hook runs when a task raises or an operator cancels.

Tasks sent without a job (beat's schedule) get a row when a worker takes them, so the beat jobs
are leased and listed too. Where Celery runs in-process (no Redis: the embedded default, tests)
the task runs as the transaction commits, as before, without the heartbeat thread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from contextvars import ContextVar
from datetime import timedelta
from urllib.parse import urlsplit

from celery import Task, current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

__all__ = [
    "REASONS",
    "JobStopped",
    "LeasedTask",
    "job_cancel",
    "job_cancel_about",
    "fault_point",
    "job_enqueue",
    "job_fence",
    "job_retry",
    "job_is_stale",
    "job_send",
    "job_status",
    "job_should_stop",
    "jobs_sweep",
    "lapsed_q",
    "reason_text",
]

# Why a job was resumed, failed or cancelled: stored as {"code", "params"}, put into words when
# shown (the worker has no reader's language).
REASONS = {
    "lease_lapsed": _("Исполнитель задания пропал (нет сигнала %(seconds)s с); задание запущено "
                      "заново (попытка %(attempt)s из %(max)s)."),
    "lease_lapsed_final": _("Исполнитель задания пропадал %(attempts)s раз(а); задание "
                            "остановлено, его остатки удалены."),
    "lost_message": _("Задание не начато за %(minutes)s мин. после передачи в очередь; оно "
                      "передано снова."),
    "error": _("Задание завершилось ошибкой."),
    "cancelled": _("Задание отменено (%(who)s)."),
    "retried": _("Задание запущено повторно (%(who)s)."),
    "superseded": _("Задание заменено новым."),
}


def reason_text(reason: dict | None) -> str:
    reason = reason or {}
    message = REASONS.get(reason.get("code", ""))
    if message is None:
        return reason.get("code", "")
    params = reason.get("params")
    try:
        return str(message) % params if params else str(message)
    except (KeyError, TypeError, ValueError):
        return str(message)


def job_status(job) -> str:
    """What the job is doing, in words (the pages of the job, of its subject, the operators')."""
    from django.utils.formats import date_format

    if job.state == "queued" and not job.sent_at and job.task_name:
        return str(_("В очереди — начнётся, когда служба фоновых задач снова будет доступна"))
    if job.state == "running" and job_is_stale(job):
        since = date_format(timezone.localtime(job.heartbeat_at), "H:i:s") \
            if job.heartbeat_at else "—"
        return str(_("Исполнитель не отвечает с %(since)s; задание будет возобновлено или "
                     "остановлено в течение нескольких минут") % {"since": since})
    if job.state == "running" and job.attempts > 1:
        return str(_("Выполняется (попытка %(n)s)") % {"n": job.attempts})
    return str(job.get_state_display())


def job_is_stale(job) -> bool:
    if job.state != "running":
        return False
    if job.heartbeat_at is None:
        return True
    return job.heartbeat_at < timezone.now() - timedelta(seconds=lease_seconds())


# --- settings --------------------------------------------------------------------------------

def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 15))


def lease_seconds() -> float:
    return float(getattr(settings, "JOBS_LEASE_SECONDS", 90))


def resend_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "JOBS_RESEND_AFTER_SECONDS", 900)))


def lapsed_q(now=None) -> Q:
    """Running jobs whose lease lapsed (no heartbeat for ``JOBS_LEASE_SECONDS``)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    return Q(state="running") & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))


def _jobs():
    from assessments.models import BackgroundJob

    return BackgroundJob


# --- the outbox ------------------------------------------------------------------------------

def job_enqueue(task, *args, kind: str = "", label: str = "", subject=None, actor=None,
                job=None, unique: bool = False, **kwargs):
    """Queue ``task(*args, **kwargs)`` as a job: the row now (in the caller's transaction), the
    message once that commits. ``job``: a row already created (``job_create``) to use. With
    ``unique``, an active job of the same kind about the same subject is returned instead."""
    from django.contrib.contenttypes.models import ContentType

    from assessments.kernel import clock

    BackgroundJob = _jobs()
    name = getattr(task, "name", task)
    kind = kind or name
    if job is None and unique and subject is not None:
        job = (BackgroundJob.objects.filter(
            kind=kind, content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk, state__in=["queued", "running"]).exclude(lapsed_q())
            .order_by("-id").first())
        if job is not None:
            return job
    if job is None:
        job = BackgroundJob.objects.create(
            kind=kind, label=str(label or name)[:255],
            content_type=ContentType.objects.get_for_model(subject) if subject is not None
            else None,
            object_id=subject.pk if subject is not None else None,
            started_by=actor if getattr(actor, "pk", None) else None,
            created_at=clock.now(), task_name=name, task_args=list(args), task_kwargs=kwargs)
    else:
        BackgroundJob.objects.filter(pk=job.pk).update(task_name=name, task_args=list(args),
                                                       task_kwargs=kwargs)
        job.task_name, job.task_args, job.task_kwargs = name, list(args), kwargs
    job_id = job.pk
    task = task if hasattr(task, "apply_async") else None
    transaction.on_commit(lambda: job_send(job_id, task))
    return job


_broker_down_until = 0.0
_BROKER_BACKOFF = 15.0


def broker_reachable(timeout: float = 0.5) -> bool:
    """A TCP connection to the broker's port succeeds (memory and other local transports: yes).
    No request waits on a dead broker: a refused or silent port answers within ``timeout``."""
    url = current_app.conf.broker_url or ""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "amqp", "amqps", "pyamqp"):
        return True
    default = 6379 if parts.scheme.startswith("redis") else 5672
    try:
        with socket.create_connection((parts.hostname or "localhost", parts.port or default),
                                      timeout=timeout):
            return True
    except OSError:
        return False


def job_send(job_id: int, task=None) -> bool:
    """Hand a queued job's message to the broker; never raises. Where Celery is in-process the
    task runs here. A broker away: the row keeps ``sent_at`` empty (and ``send_error``) and this
    process does not try again for a few seconds; the sweep sends it later."""
    global _broker_down_until
    BackgroundJob = _jobs()
    job = BackgroundJob.objects.filter(pk=job_id, state="queued").first()
    if job is None or not job.task_name:
        return False
    task = task if task is not None and task.name == job.task_name else _task_named(job.task_name)
    if task is None:
        BackgroundJob.objects.filter(pk=job_id).update(send_error=f"unknown task {job.task_name}")
        return False
    kwargs = dict(job.task_kwargs or {}, _job=job.pk)
    if current_app.conf.task_always_eager:
        BackgroundJob.objects.filter(pk=job_id).update(sent_at=timezone.now())
        task.apply_async(args=job.task_args, kwargs=kwargs)
        return True
    error = ""
    if time.monotonic() < _broker_down_until:
        error = "broker unreachable (recently)"
    elif not broker_reachable():
        error = "broker unreachable"
    else:
        try:
            # ignore_result: the job row is the result; a result subscription would wait on a
            # dead Redis for 20 s and break the process's result consumer for good.
            task.apply_async(args=job.task_args, kwargs=kwargs, retry=False, ignore_result=True)
        except Exception as exc:  # the broker went away between the probe and the send
            error = f"{type(exc).__name__}: {exc}"
    if error:
        _broker_down_until = time.monotonic() + _BROKER_BACKOFF
        BackgroundJob.objects.filter(pk=job_id).update(send_error=_text(error)[:255])
        logger.warning("job %s (%s): not sent, %s; the sweep sends it when the broker is back",
                       job_id, job.task_name, error)
        return False
    _broker_down_until = 0.0
    BackgroundJob.objects.filter(pk=job_id).update(sent_at=timezone.now(), send_error="")
    return True


# --- the lease -------------------------------------------------------------------------------

class JobStopped(Exception):
    """The job was cancelled or taken over while it ran: the work stops where it is."""


_current: ContextVar[_Lease | None] = ContextVar("current_job_lease", default=None)


def current_job_id() -> int | None:
    lease = _current.get()
    return lease.job_id if lease is not None else None


def job_should_stop() -> None:
    """Raise :class:`JobStopped` if the running job lost its lease (cancelled, taken over):
    long loops call it between blocks (``JobProgress.advance`` does)."""
    lease = _current.get()
    if lease is not None and lease.lost.is_set():
        raise JobStopped(f"job {lease.job_id}: lease lost")


def job_fence() -> None:
    """A leased job's commit point, called inside the transaction that is about to commit the
    job's work: the lease is renewed in that transaction, or :class:`JobStopped` is raised (the
    transaction then rolls back) if the job is no longer this worker's — cancelled, or taken over
    after this worker stalled past its lease. The job's row stays locked until the commit, so no
    one takes the job over between this check and the commit: an overtaken worker never commits
    a second result. Outside a lease (a service called directly): nothing."""
    lease = _current.get()
    if lease is None:
        return
    renewed = not lease.lost.is_set() and _jobs().objects.filter(
        pk=lease.job_id, lease_owner=lease.token, state="running").update(
            heartbeat_at=timezone.now())
    if not renewed:
        lease.lost.set()
        raise JobStopped(f"job {lease.job_id}: lease lost before its commit")


def fault_point(name: str, key: object = "") -> None:
    """Tests only: a barrier at a known point of a job (the fault tests kill or stop the worker
    while it waits here). Inert unless ``JOBS_FAULT_DIR`` is set (never in production): then,
    while the file ``<dir>/<name>.hold`` exists (empty, or naming ``key``), the worker writes
    ``<dir>/<name>.reached`` (``key``) and waits for the hold file to go."""
    directory = getattr(settings, "JOBS_FAULT_DIR", "")
    if not directory:
        return
    from pathlib import Path

    hold = Path(directory) / f"{name}.hold"
    try:
        wanted = hold.read_text().strip()
    except OSError:
        return
    if wanted and wanted != str(key):
        return
    (Path(directory) / f"{name}.reached").write_text(str(key))
    while hold.exists():
        time.sleep(0.02)


class _Lease:
    def __init__(self, job_id: int, token: str, *, beat: bool):
        self.job_id, self.token = job_id, token
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat",
                                        daemon=True) if beat else None

    def _run(self) -> None:
        BackgroundJob = _jobs()
        try:
            while not self._stop.wait(heartbeat_seconds()):
                renewed = BackgroundJob.objects.filter(
                    pk=self.job_id, lease_owner=self.token, state="running").update(
                        heartbeat_at=timezone.now())
                if not renewed:
                    self.lost.set()
                    return
        except Exception:  # the database away: the lease lapses, the sweep decides
            logger.exception("job %s: heartbeat failed", self.job_id)
        finally:
            connection.close()

    def __enter__(self):
        self._token = _current.set(self)
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        _current.reset(self._token)


def _claim(job_id: int) -> str | None:
    """Take the job's lease: queued, or running with a lapsed lease (its worker lost)."""
    BackgroundJob = _jobs()
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id).filter(Q(state="queued") | lapsed_q(now)
                                                             ).update(
        state="running", lease_owner=token, heartbeat_at=now, started_at=now,
        finished_at=None, attempts=F("attempts") + 1)
    return token if claimed else None


def _task_named(name: str):
    """The registered task ``name``; the tasks modules imported first if need be (a web process
    imports them only as its services use them)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def _task_of(job):
    return _task_named(job.task_name) if job.task_name else None


def _ended(job, reason: dict) -> None:
    """Call the job's task's clean-up hook (never raises: the job's state is already written)."""
    task = _task_of(job)
    if task is None or not hasattr(task, "job_ended"):
        return
    try:
        task.job_ended(job, reason)
    except Exception:
        logger.exception("job %s (%s): clean-up failed", job.pk, job.task_name)


class LeasedTask(Task):
    """The project's task class: every run is a job that holds a lease while it runs.

    ``max_attempts``: how many times a job whose worker was lost is started (then it fails).
    ``job_ended(job, reason)``: clean up after a job that failed or was cancelled (staged rows,
    partial files, the subject's state); the default does nothing."""

    max_attempts = 3
    leased = True  # False: run as a plain task, no row (the sweep itself)
    typing = False  # the job id travels as the extra keyword ``_job``, taken off before the run

    def job_ended(self, job, reason: dict) -> None:  # pragma: no cover - the default
        return None

    def __call__(self, *args, **kwargs):
        job_id = kwargs.pop("_job", None)
        if job_id is None and isinstance(kwargs.get("job_id"), int):
            job_id = kwargs["job_id"]  # recompute_cycle's own job (messages queued before)
        request = self.request
        if job_id is None and (request.called_directly or request.is_eager or not self.leased):
            return self.run(*args, **kwargs)
        if job_id is None:
            job_id = self._job_for_delivery(args, kwargs)
        token = _claim(job_id)
        if token is None:
            logger.info("job %s (%s): done, cancelled or running elsewhere; nothing to do",
                        job_id, self.name)
            return {"job": job_id, "skipped": True}
        BackgroundJob = _jobs()
        mine = BackgroundJob.objects.filter(pk=job_id, lease_owner=token)
        # in-process (eager, or called as a function) the caller's own transaction may hold the
        # row: no heartbeat thread, whose connection would not see it
        with _Lease(job_id, token, beat=not (request.is_eager or request.called_directly)):
            try:
                result = self.run(*args, **kwargs)
            except JobStopped:
                logger.info("job %s (%s): stopped, its lease lost", job_id, self.name)
                return {"job": job_id, "stopped": True}
            except BaseException as exc:
                failed = mine.filter(state="running").update(
                    state="failed", error=_text(f"{type(exc).__name__}: {exc}")[:5000],
                    reason={"code": "error"}, finished_at=timezone.now(), lease_owner="")
                if failed:
                    _ended(BackgroundJob.objects.get(pk=job_id), {"code": "error"})
                raise
        stored = result if isinstance(result, dict) else {"value": result}
        try:
            mine.filter(state="running").update(
                state="done", done=F("total"), finished_at=timezone.now(), lease_owner="")
            BackgroundJob.objects.filter(pk=job_id, result={}).update(result=_jsonable(stored))
        except Exception:
            logger.exception("job %s: result not stored", job_id)
        return result

    def _job_for_delivery(self, args, kwargs) -> int:
        """A message sent without a job (beat's schedule, a plain ``delay``): its row now."""
        from assessments.kernel import clock

        now = timezone.now()
        return _jobs().objects.create(
            kind=self.name, label=self.name[:255], task_name=self.name,
            task_args=_jsonable(list(args)), task_kwargs=_jsonable(dict(kwargs)),
            created_at=clock.now(), sent_at=now).pk


def _text(value: str) -> str:
    """PostgreSQL refuses NUL in text: an error message quoting a file's bytes is kept legible."""
    return value.replace("\x00", "\\x00")


def _jsonable(value):
    import json

    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return {"value": str(value)}


# --- the sweep -------------------------------------------------------------------------------

def jobs_sweep() -> dict:
    """Beat job (every ``JOBS_SWEEP_SECONDS``; also when a worker starts), idempotent:

    - running jobs whose lease lapsed are queued again (attempt n+1 of ``max_attempts``, the
      reason kept) or, past the last attempt, failed with their leftovers cleaned up;
    - queued jobs never handed to the broker (it was away) are sent;
    - queued jobs sent ``JOBS_RESEND_AFTER_SECONDS`` ago and never started (a lost message) are
      sent again (a duplicate finds the job taken and does nothing)."""
    BackgroundJob = _jobs()
    now = timezone.now()
    resumed, failed, sent, resent = [], [], [], []
    for job_id in BackgroundJob.objects.filter(lapsed_q(now)).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            job = BackgroundJob.objects.select_for_update(skip_locked=True).filter(
                lapsed_q(timezone.now()), pk=job_id).first()
            if job is None:
                continue
            task = _task_of(job)
            limit = getattr(task, "max_attempts", 1) if task is not None else 0
            if job.attempts < limit:
                job.state, job.lease_owner, job.sent_at = "queued", "", None
                job.reason = {"code": "lease_lapsed", "params": {
                    "seconds": int(lease_seconds()), "attempt": job.attempts + 1, "max": limit}}
                job.save(update_fields=["state", "lease_owner", "sent_at", "reason"])
                resumed.append(job.pk)  # sent below, with the rest of the outbox
                continue
            job.state, job.lease_owner, job.finished_at = "failed", "", timezone.now()
            job.reason = {"code": "lease_lapsed_final", "params": {"attempts": job.attempts}}
            job.error = "lease lapsed"
            job.save(update_fields=["state", "lease_owner", "finished_at", "reason", "error"])
            failed.append(job)
    for job in failed:
        _ended(job, job.reason)
    for job_id in BackgroundJob.objects.filter(
            state="queued", sent_at__isnull=True).exclude(task_name="").order_by(
                "pk").values_list("pk", flat=True)[:1000]:
        if job_send(job_id):
            sent.append(job_id)
        elif not broker_reachable():
            break
    for job_id in BackgroundJob.objects.filter(
            state="queued", sent_at__lt=now - resend_after()).exclude(task_name="").values_list(
                "pk", flat=True)[:500]:
        BackgroundJob.objects.filter(pk=job_id).update(reason={"code": "lost_message", "params": {
            "minutes": int(resend_after().total_seconds() // 60)}})
        if job_send(job_id):
            resent.append(job_id)
    keep = timedelta(days=float(getattr(settings, "JOBS_KEEP_DAYS", 30)))
    pruned = BackgroundJob.objects.filter(
        state="done", kind=F("task_name"), finished_at__lt=now - keep).delete()[0]
    summary = {"resumed": resumed, "failed": [j.pk for j in failed], "sent": sent,
               "resent": resent, "pruned": pruned}
    if resumed or failed or sent or resent:
        logger.info("jobs sweep: %s", summary)
    return summary


# --- the operator's actions ------------------------------------------------------------------

def job_cancel(*, job_id: int, actor) -> None:
    """Cancel a queued or running job (its worker stops at its next heartbeat or block; a
    message still queued finds it cancelled); its task cleans up its leftovers."""
    BackgroundJob = _jobs()
    reason = {"code": "cancelled", "params": {"who": str(actor)}}
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job_id)
        if job.state not in ("queued", "running"):
            return
        job.state, job.lease_owner, job.finished_at = "cancelled", "", timezone.now()
        job.reason = reason
        job.save(update_fields=["state", "lease_owner", "finished_at", "reason"])
    _ended(job, reason)


def job_cancel_about(*, subject, actor=None) -> list[int]:
    """Cancel every queued or running job about ``subject`` (its own service has already put the
    subject in order: no clean-up hook is called)."""
    from django.contrib.contenttypes.models import ContentType

    BackgroundJob = _jobs()
    jobs = BackgroundJob.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk,
        state__in=["queued", "running"])
    ids = list(jobs.values_list("pk", flat=True))
    jobs.update(state="cancelled", lease_owner="", finished_at=timezone.now(),
                reason={"code": "cancelled", "params": {"who": str(actor or "—")}})
    return ids


def job_retry(*, job_id: int, actor) -> None:
    """Queue a failed, cancelled or stale job again (its task restarts cleanly)."""
    BackgroundJob = _jobs()
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job_id)
        stale = BackgroundJob.objects.filter(lapsed_q(), pk=job_id).exists()
        if not job.task_name or not (job.state in ("failed", "cancelled") or stale):
            return
        job.state, job.lease_owner, job.sent_at, job.attempts = "queued", "", None, 0
        job.error, job.finished_at = "", None
        job.reason = {"code": "retried", "params": {"who": str(actor)}}
        job.save(update_fields=["state", "lease_owner", "sent_at", "attempts", "error",
                                "finished_at", "reason"])
        transaction.on_commit(lambda: job_send(job_id))
