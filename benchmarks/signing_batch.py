#!/usr/bin/env python
"""Benchmark of the national signing batch: the conclusions of a generated cycle rendered and
signed by two real Celery worker processes on PostgreSQL + Redis, projected to the 13,500
documents of a national cycle from the measured CPU rate.

Set-up (not timed): a scratch PostgreSQL database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/bench_signing``; created if missing, migrated), the national
world of ``--bodies`` bodies from the one generator (``manage.py generate_national_data
--cycles 2``: the older cycle's conclusions are all final — those are the batch), a throw-away demo
CA in a temporary directory (its root the only trust root), and signatories with demo PKCS#12
credentials issued by it. Redis: ``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/14``), a
database the script empties before and after.

Timed: two worker processes (``celery worker -P prefork -c 1 --max-tasks-per-child N``, each on
its own, the benchmark's task loaded with ``-I benchmarks._signing_worker``) take one task per
conclusion from a queue of their own: render its final PDF through the application's path (annex
8 with its annex 10), freeze it for as many signatories as the annex's signature block, sign it
by each in turn with the demo PKCS#12 signer's two phases, each signature verified before it is
stored (see ``benchmarks/_signing_worker.py``). The children's resident memory is sampled
every half second; ``--max-tasks-per-child`` recycles them (the children seen are counted).

Printed: documents (a conclusion's signed PDF; annex 8's annex 10 rendered with it counts in its
cost), signatures, wall time, CPU seconds per document (the tasks' own CPU time; of which
rendering), the children's peak RSS, and the projection for 13,500 documents on two workers
from the CPU rate (the machine is shared: the wall clock counts other processes' time; the
projection from the wall clock is printed too). Summary line for ``make bench``::

    signing_batch: <s> s CPU/doc render+sign; anchor render_only <s> s CPU/doc; ratio <x>;
    projection 13500 docs on 2 workers <min> min (goal ≤ 30) …             (one line)

Usage: ``.venv/bin/python benchmarks/signing_batch.py [--bodies 300] [--max-tasks-per-child 50]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import ensure_database, stop_group  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_signing"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
NATIONAL_BATCH = 13_500
WORKERS = 2
QUEUE = "bench-signing"
PASSPHRASE = "bench-signing"


def _redis_ok(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"signing_batch: skipped (no Redis at {url}: {error})")
        return False
    return True


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _start_worker(n: int, env: dict, max_tasks: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork",
               "-c", "1", "--max-tasks-per-child", str(max_tasks), "-Q", QUEUE,
               "-I", "benchmarks._signing_worker", "-n", f"bench-sign-{n}@%h", "-l", "WARNING",
               "--without-mingle", "--without-gossip", "--without-heartbeat"]
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _setup(url: str, redis_url: str, work: Path, bodies: int) -> tuple[list[int], list[int]]:
    """Migrate, generate the world, make the CA and the signatories; the conclusions and the
    signatories' ids."""
    os.environ.update(DATABASE_URL=url, REDIS_URL=redis_url, MEDIA_ROOT=str(work / "media"),
                      SIGNING_CA_DIR=str(work / "ca"),
                      SIGNING_TRUST_ROOTS=str(work / "ca" / "root-ca.pem"),
                      CELERY_TASK_ALWAYS_EAGER="0", LOG_LEVEL="WARNING",
                      DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.models import Conclusion, Cycle, User
    from reporting.signing import ca
    from reporting.signing.services import issue_demo_credential

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_national_data", bodies=bodies, cycles=2, monitoring_rows=1000,
                 services=50, verbosity=0, stdout=open(os.devnull, "w"))
    print(f"set-up: the generated world of {bodies} bodies in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    ca.demo_ca(work / "ca")
    users = []
    for i in range(3):
        user, _ = User.objects.get_or_create(username=f"bench-signer-{i}", defaults={
            "first_name": "Подписант", "last_name": f"Бенчмарков {i}"})
        issue_demo_credential(user, PASSPHRASE)
        users.append(user.pk)
    older = Cycle.objects.filter(code__startswith="nat-").order_by("year").first()
    conclusions = list(Conclusion.objects.filter(cycle=older).order_by("pk")
                       .values_list("pk", flat=True))
    return conclusions, users


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--max-tasks-per-child", type=int, default=50)
    parser.add_argument("--timeout", type=int, default=3600, help="seconds for the batch")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if not ensure_database(url, "signing_batch") or not _redis_ok(redis_url):
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    workers: list[subprocess.Popen] = []
    try:
        conclusions, users = _setup(url, redis_url, work, args.bodies)
        out = work / "results"
        out.mkdir()
        from django.db import connections

        connections.close_all()
        env = dict(os.environ)
        workers = [_start_worker(n, env, args.max_tasks_per_child, work / f"worker-{n}.log")
                   for n in range(WORKERS)]
        from benchmarks._signing_worker import sign_conclusion

        load_start = os.getloadavg()[0]
        start = time.perf_counter()
        for pk in conclusions:
            sign_conclusion.apply_async(args=[pk, users, PASSPHRASE, str(out)], queue=QUEUE)
        peak: dict[int, float] = {}
        results: list[dict] = []
        deadline = start + args.timeout
        while time.perf_counter() < deadline:
            for worker in workers:
                if worker.poll() is not None:
                    raise SystemExit(f"signing_batch: a worker stopped: "
                                     f"{(work / 'worker-0.log').read_text()[-2000:]}")
                for child in _children(worker.pid):
                    peak[child] = max(peak.get(child, 0.0), _rss_mb(child))
            results = [json.loads(line) for path in out.glob("*.jsonl")
                       for line in path.read_text().splitlines() if line.strip()]
            if len(results) >= len(conclusions):
                break
            time.sleep(0.5)
        wall = time.perf_counter() - start
        load_end = os.getloadavg()[0]
        if len(results) < len(conclusions):
            logs = "\n".join(p.read_text()[-1500:] for p in work.glob("worker-*.log"))
            raise SystemExit(f"signing_batch: {len(results)} of {len(conclusions)} done "
                             f"within {args.timeout} s\n{logs}")
        documents = sum(r["documents"] for r in results)
        signatures = sum(r["signatures"] for r in results)
        signed = sum(1 for r in results if r["state"] == "signed")
        cpu = sum(r["cpu"] for r in results)
        cpu_render = sum(r["cpu_render"] for r in results)
        # a "document" of the national batch is a conclusion's signed PDF (annex 8's annex 10
        # rendered with it counts in its cost)
        per_doc, render_per_doc = cpu / len(results), cpu_render / len(results)
        projection = NATIONAL_BATCH * per_doc / WORKERS / 60
        wall_projection = NATIONAL_BATCH * wall / len(results) / 60
        children = len(peak)
        peak_mb = max(peak.values(), default=0.0)
        print(f"machine: {os.cpu_count()} CPUs, load average {load_start:.1f} at the start, "
              f"{load_end:.1f} at the end")
        print(f"batch: {len(results)} conclusions of {args.bodies} bodies → {documents} PDFs "
              f"rendered (annex 10 with each annex 8), {signed} documents signed with "
              f"{signatures} signatures, by {WORKERS} workers in {wall:.1f} s wall "
              f"({wall / len(results):.3f} s/doc)")
        print(f"CPU: {per_doc:.3f} s/doc (rendering {render_per_doc:.3f}, signing and "
              f"verifying {(cpu - cpu_render) / max(signatures, 1):.3f} s/signature)")
        print(f"workers: {children} child processes over the batch (recycled every "
              f"{args.max_tasks_per_child} tasks), peak RSS of a child {peak_mb:.0f} MB")
        print(f"signing_batch: {per_doc:.3f} s CPU/doc render+sign; anchor render_only "
              f"{render_per_doc:.3f} s CPU/doc; ratio {per_doc / render_per_doc:.2f}; projection "
              f"{NATIONAL_BATCH} docs on {WORKERS} workers {projection:.1f} min from the CPU rate "
              f"(goal ≤ 30; {wall_projection:.1f} min from this run's wall clock at load "
              f"{load_start:.1f}–{load_end:.1f}); peak RSS per worker child {peak_mb:.0f} MB")
        return 0 if signed == len(results) else 1
    finally:
        for worker in workers:
            stop_group(worker)
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()
        except Exception:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
