"""Real Celery worker processes for the fault tests: started on the test database (PostgreSQL) and
the real Redis, with short leases, killed with SIGKILL, restarted.

    with WorkerPool(settings, beat=True) as pool:
        worker = pool.start()
        wait_for(lambda: …, timeout=30)
        worker.kill()            # SIGKILL: no clean-up of any kind in the worker
        pool.start()             # a new worker (with beat: the sweep every JOBS_SWEEP_SECONDS)

A barrier at a known point of a job (``assessments.kernel.leases.fault_point``): a worker
started with ``JOBS_FAULT_DIR`` waits at ``fault_point(name, key)`` while
``<dir>/<name>.hold`` exists (empty, or naming the key), after writing ``<dir>/<name>.reached``:

    hold = Barrier(tmp_path, "render.commit", key=document.pk)
    worker = pool.start(**hold.env)
    hold.wait_reached(timeout=90)   # the worker is there, and stays there
    worker.kill()                   # so the kill lands at that very point

Every worker is killed when the block ends (the test's hard limit stays the caller's).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Leases short enough for a test: a heartbeat every second, lapsed after four, swept every two.
FAST_LEASES = {"JOBS_HEARTBEAT_SECONDS": "1", "JOBS_LEASE_SECONDS": "4", "JOBS_SWEEP_SECONDS": "2"}


def database_url() -> str:
    """The test database (pytest-django's ``test_…``) as a URL the worker's settings read."""
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def flush_broker(redis_url: str) -> None:
    """Messages left by an earlier run (a killed worker's unacknowledged ones) go."""
    import redis

    redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()


def wait_for(condition, *, timeout: float, every: float = 0.1, what=""):
    """Poll ``condition`` until it is true; past ``timeout`` fail, saying ``what`` (a callable:
    called then, e.g. the workers' logs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {what() if callable(what) else what}")


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def kill(self) -> None:
        """SIGKILL the worker's whole process group (beat too): nothing runs on the way out."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGSTOP: the worker stalls (no heartbeat, nothing), alive; ``cont`` wakes it."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def cont(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


class Barrier:
    """A hold at ``fault_point(name)`` for the workers started with ``env`` (one test's dir)."""

    def __init__(self, tmp_path: Path, name: str, *, key: object = ""):
        self.dir = tmp_path / "faults"
        self.dir.mkdir(exist_ok=True)
        self.hold, self.reached = self.dir / f"{name}.hold", self.dir / f"{name}.reached"
        self.hold.write_text(str(key))
        self.env = {"JOBS_FAULT_DIR": str(self.dir)}

    def wait_reached(self, *, timeout: float, what="") -> str:
        wait_for(self.reached.exists, timeout=timeout, every=0.05, what=what)
        return self.reached.read_text()

    def release(self) -> None:
        self.hold.unlink(missing_ok=True)


class WorkerPool:
    def __init__(self, settings, tmp_path: Path, *, beat: bool = False, env: dict | None = None):
        self.settings, self.tmp, self.beat = settings, tmp_path, beat
        self.env = dict(env or {})
        self.workers: list[Worker] = []

    def start(self, **env) -> Worker:
        name = uuid.uuid4().hex[:8]
        log = self.tmp / f"worker-{name}.log"
        environment = dict(os.environ, DATABASE_URL=database_url(),
                           REDIS_URL=self.settings.REDIS_URL,
                           MEDIA_ROOT=str(self.settings.MEDIA_ROOT),
                           CELERY_TASK_ALWAYS_EAGER="0", **FAST_LEASES)
        environment.update(self.env)
        environment.update(env)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
                   "-c", "1", "-l", "INFO", "-n", f"fault-{name}@%h", "--without-mingle",
                   "--without-gossip", "--without-heartbeat"]
        if self.beat:
            command += ["-B", "-s", str(self.tmp / f"beat-{name}")]
        with open(log, "wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        worker = Worker(process, log)
        self.workers.append(worker)
        return worker

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            worker.kill()

    def logs(self) -> str:
        return "\n---\n".join(w.output() for w in self.workers)
