#!/usr/bin/env python
"""Load benchmark: 50 simulated users (locust, headless, on loopback) against gunicorn (2 workers)
+ PostgreSQL + Redis holding the generated national world, over the roles' main pages, for a
bounded time. Goal: no error, and each page's p95 ≤ 5× the login page's p95 in the same run.

Set-up (not timed):

* the world: ``manage.py generate_national_data`` (≈2,700 bodies, two cycles, "Мониторинг" rows,
  conclusions; ``--bodies``) in the scratch database ``BENCH_DATABASE_URL`` (default
  ``postgres://postgres@127.0.0.1:5432/bench_load``), generated once and kept as a ``pg_dump``
  (``var/bench/national-<bodies>.dump``); later runs restore the dump (seconds) instead, then
  ``migrate`` (a dump older than the code's migrations is brought up to date);
* the plan: for each role (a body's head, an Agency assessor, a head of unit, a signatory, the
  coordinator) a demo login of the generated world and its main pages — home, queues, lists,
  a cycle's scores, a body's reports and scores, a conclusion's page (several conclusions) —
  each page checked once in-process (status 200 for that user) before the run;
* gunicorn with 2 sync workers on 127.0.0.1 (``DEBUG=0``), Redis ``BENCH_REDIS_URL`` (default
  ``redis://127.0.0.1:6379/14``: the cache and the broker; emptied before and after);
* locust in its own environment (``var/bench-venv``, created by this script on first use with
  ``pip install locust``: its pins stay out of the project's).

Timed: ``locust --headless -u 50 -r 10 -t <--seconds>``: each logged-in user opens its role's
pages in turn with 1–3 s of think time; one user in ten, anonymous, opens the login page (the
anchor). Printed: per page the requests, failures, median and p95, and p95 ÷ the login page's
p95; the machine's load average before and after. Before the load, each page is also opened
one request at a time (3 times; the login page 9): the pages' own times, which a saturated
server's queue (2 workers, 50 users) hides under load — when the requests per second stay far
below what 50 users ask (≈ 25/s), every page's p95 is mostly the wait in that queue. Summary
line for ``make bench``::

    load: 50 users <s> s, <n> requests, <f> failures; anchor login_page p95 <ms> ms;
    ratio <worst>× (<page>) (goal ≤ 5); p95: home <ms> ms (<x>×), …        (one line)

Usage: ``.venv/bin/python benchmarks/load.py [--bodies 2700] [--users 50] [--seconds 120]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import stop_group  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
VENV = ROOT / "var" / "bench-venv"
LOCUST = "locust==2.47.0"
DUMPS = ROOT / "var" / "bench"
GOAL = 5.0


def _psql_base(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base, name


def _database_ready(url: str) -> bool:
    import psycopg

    base, _name = _psql_base(url)
    try:
        psycopg.connect(base + "/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        print(f"load: skipped (no PostgreSQL at {base}: {error})")
        return False
    return True


def _recreate(url: str) -> None:
    import psycopg

    base, name = _psql_base(url)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _venv() -> Path:
    """locust in its own environment (made on first use)."""
    locust = VENV / "bin" / "locust"
    if not locust.exists():
        print(f"load: creating {VENV.relative_to(ROOT)} with {LOCUST} (once)", flush=True)
        base = Path(getattr(sys, "_base_executable", sys.executable))
        subprocess.run([str(base), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", LOCUST], check=True)
    return locust


def _world(url: str, bodies: int) -> str:
    """The national world in the scratch database: from the dump if there is one, else generated
    and dumped. Returns how it came."""
    dump = DUMPS / f"national-{bodies}.dump"
    _recreate(url)
    if dump.exists():
        started = time.perf_counter()
        subprocess.run(["pg_restore", "--no-owner", "-d", url, str(dump)], check=True,
                       capture_output=True)
        how = f"restored from {dump.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s"
    else:
        how = None
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if how is None:
        started = time.perf_counter()
        call_command("generate_national_data", bodies=bodies, cycles=2,
                     stdout=open(os.devnull, "w"))
        DUMPS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), url], check=True)
        how = (f"generated in {time.perf_counter() - started:.0f} s and dumped to "
               f"{dump.relative_to(ROOT)}")
    return how


def _plan(seed: int = 7) -> dict:
    """For each role a demo login and its main pages, each checked once (200 for that user)."""
    from django.test import Client

    from assessments.models import Conclusion, Cycle, Organisation, User
    from demo.seed import DEMO_PASSWORD

    rng = random.Random(seed)
    current = Cycle.objects.filter(code__startswith="nat-").order_by("-year").first()
    older = Cycle.objects.filter(code__startswith="nat-").order_by("year").first()
    akimat = Organisation.objects.get(bin=User.objects.get(
        username="mio-head").memberships.first().organisation.bin)
    services = list(Conclusion.objects.filter(cycle=older, annex__in=(3, 4))
                    .values_list("pk", flat=True))
    openness = list(Conclusion.objects.filter(cycle=current, annex=8)
                    .values_list("pk", flat=True))
    cur, old = current.code, older.code
    roles = {
        "body head": ("mio-head", [
            ("home", "/"), ("body reports", f"/cycles/{cur}/bodies/{akimat.pk}/reports/"),
            ("body scores", f"/cycles/{old}/bodies/{akimat.pk}/scores/"),
            ("conclusion list", "/conclusions/")]),
        "assessor": ("agency-assessor", [
            ("home", "/"), ("report queue", "/reports/"), ("conclusion list", "/conclusions/"),
            ("cycle scores", f"/cycles/{cur}/scores/")] + [
            ("conclusion page", f"/conclusions/{pk}/") for pk in rng.sample(services, 3)]),
        "openness assessor": ("miod-assessor", [
            ("home", "/"), ("report queue", "/reports/")] + [
            ("conclusion page", f"/conclusions/{pk}/") for pk in rng.sample(openness, 2)]),
        "head of unit": ("agency-unit-head", [
            ("home", "/"), ("review queue", "/conclusions/review/"),
            ("conclusion list", "/conclusions/")]),
        "signatory": ("agency-deputy", [
            ("home", "/"), ("signing queue", "/conclusions/signing/"),
            ("signed documents", "/documents/signed/")]),
        "coordinator": ("coordinator", [
            ("home", "/"), ("cycle page", f"/cycles/{cur}/"), ("body list", "/bodies/"),
            ("cycle scores", f"/cycles/{cur}/scores/")]),
    }
    plan: dict = {"password": DEMO_PASSWORD, "roles": {}}
    refused = []
    for role, (username, pages) in roles.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        kept = []
        for name, path in pages:
            status = client.get(path).status_code
            if status == 200:
                kept.append({"name": name, "path": path})
            else:
                refused.append(f"{role} {path}: {status}")
        plan["roles"][role] = {"username": username, "pages": kept}
    if refused:
        raise SystemExit("load: the plan's pages must open for their users: "
                         + "; ".join(refused))
    return plan


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"load: {url} did not answer within {timeout} s")


def _one_at_a_time(base: str, plan: dict, rounds: int) -> dict[str, list[float]]:
    """Each page of the plan ``rounds`` times, one request at a time (logged in as its role):
    the pages' own times without the queue a saturated server adds under load."""
    import http.cookiejar
    import re
    import urllib.parse

    times: dict[str, list[float]] = {"login page": []}
    for role in plan["roles"].values():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(base + "/accounts/login/", timeout=120).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        opener.open(urllib.request.Request(
            base + "/accounts/login/", headers={"Referer": base + "/accounts/login/"},
            data=urllib.parse.urlencode({"username": role["username"], "csrfmiddlewaretoken":
                                         token, "password": plan["password"]}).encode()),
            timeout=120).read()
        for _ in range(rounds):
            for page in role["pages"]:
                started = time.perf_counter()
                opener.open(base + page["path"], timeout=120).read()
                times.setdefault(page["name"], []).append(time.perf_counter() - started)
    for _ in range(rounds * 3):
        started = time.perf_counter()
        urllib.request.urlopen(base + "/accounts/login/", timeout=120).read()
        times["login page"].append(time.perf_counter() - started)
    return times


def _stats(path: Path) -> list[dict]:
    with open(path, newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=2700)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if not _database_ready(url):
        return 0
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"load: skipped (no Redis at {redis_url}: {error})")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    os.environ.update(DATABASE_URL=url, REDIS_URL=redis_url, MEDIA_ROOT=str(work / "media"),
                      DEBUG="0", LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    server = None
    try:
        how = _world(url, args.bodies)
        print(f"world: {args.bodies} bodies, two cycles — {how}", flush=True)
        plan = _plan()
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False))
        from django.db import connections

        connections.close_all()
        locust = _venv()
        port = _free_port()
        env = dict(os.environ)
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-w", "2",
             "-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=open(work / "gunicorn.log", "wb"),
            stderr=subprocess.STDOUT, start_new_session=True)
        _wait_http(f"http://127.0.0.1:{port}/health/", 60)
        base = f"http://127.0.0.1:{port}"
        alone = _one_at_a_time(base, plan, 3)
        login_alone = statistics.median(alone["login page"])
        print(f"one request at a time (median of {len(alone['login page'])} for the login "
              f"page, of 3 per page otherwise): login page {login_alone * 1000:.0f} ms; "
              + ", ".join(f"{name} {statistics.median(t) * 1000:.0f} ms "
                          f"({statistics.median(t) / login_alone:.1f}×)"
                          for name, t in sorted(alone.items()) if name != "login page"),
              flush=True)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run(
            [str(locust), "-f", str(ROOT / "benchmarks" / "_locustfile.py"), "--headless",
             "-u", str(args.users), "-r", "10", "-t", f"{args.seconds}s", "--stop-timeout", "5",
             "-H", f"http://127.0.0.1:{port}", "--csv", str(work / "load"), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env=dict(env, BENCH_LOAD_PLAN=str(plan_path)), capture_output=True,
            text=True)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        stats_path = work / "load_stats.csv"
        if not stats_path.exists():
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise SystemExit("load: locust wrote no statistics")
        rows = _stats(stats_path)
        by_name = {row["Name"]: row for row in rows}
        login = float(by_name["login page"]["95%"])
        requests = sum(int(row["Request Count"]) for row in rows)
        failures = sum(int(row["Failure Count"]) for row in rows)
        print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before, "
              f"{load_after:.1f} after; {args.users} users for {elapsed:.0f} s, {requests} "
              f"requests, {failures} failures")
        pages = sorted((row for row in rows if row["Type"] == "GET"),
                       key=lambda row: -float(row["95%"]))
        for row in pages:
            print(f"  {row['Name']:<18} {int(row['Request Count']):>5} requests "
                  f"{int(row['Failure Count']):>3} failed  median {row['Median Response Time']:>5}"
                  f" ms  p95 {row['95%']:>5} ms  ({float(row['95%']) / login:.1f}× login)")
        if failures:
            failure_file = work / "load_failures.csv"
            if failure_file.exists():
                sys.stdout.write(failure_file.read_text()[:2000])
        worst = max((row for row in pages if row["Name"] != "login page"),
                    key=lambda row: float(row["95%"]))
        ratio = float(worst["95%"]) / login
        listing = ", ".join(f"{row['Name']} {row['95%']} ms ({float(row['95%']) / login:.1f}×)"
                            for row in pages if row["Name"] != "login page")
        slowest = max((n for n in alone if n != "login page"),
                      key=lambda n: statistics.median(alone[n]))
        print(f"load: {args.users} users {elapsed:.0f} s, {requests} requests "
              f"({requests / elapsed:.1f}/s), {failures} failures; anchor login_page p95 "
              f"{login:.0f} ms; ratio {ratio:.1f}× ({worst['Name']}) (goal ≤ {GOAL:.0f}); "
              f"p95: {listing}; one at a time the slowest {slowest} "
              f"{statistics.median(alone[slowest]) / login_alone:.1f}× the login page; load "
              f"average {load_before:.1f}–{load_after:.1f}")
        return 0 if failures == 0 else 1
    finally:
        if server is not None:
            stop_group(server)
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()
        except Exception:
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
