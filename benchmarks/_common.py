"""Helpers the benchmark scripts share: a scratch PostgreSQL database made on demand, and a
process group stopped politely, then for good."""

from __future__ import annotations

import os
import signal
import subprocess


def ensure_database(url: str, name: str) -> bool:
    """Create the database of ``url`` when missing; False (and a line saying why, under the
    benchmark's ``name``) when no PostgreSQL answers."""
    import psycopg

    base, database = url.rsplit("/", 1)
    try:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                [database]).fetchone():
                conn.execute(f'CREATE DATABASE "{database}"')
    except psycopg.OperationalError as error:
        print(f"{name}: skipped (no PostgreSQL at {base}: {error})")
        return False
    return True


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the process's group, SIGKILL it after 20 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
