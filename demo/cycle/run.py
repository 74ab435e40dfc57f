"""``manage.py demo_cycle --out DIR``: one assessment cycle played end to end.

A cycle of its own ("demo-2025-N", reporting year 2025, edition 2023) with its own bodies (one
central body, ЦГО, and one local body, МИО) and its own people (usernames ``dcN-…``), so it
collides neither with ``seed_demo`` nor with an earlier run: each run takes the next N. The
evaluating bodies are the registry's (the Agency, the digital ministry, MIOD, the Committee:
created by the registry's own idempotent seed when missing), because who evaluates whom is
per kind of body.

Everything goes through the services the pages use, with the application clock moved along real
dates of the Kazakh calendar (the 2025 schedule: reports in January 2026, re-verification in
February, conclusions received on Thursday 19 March 2026 so that the objection window crosses
Nauryz and ends on Tuesday 31 March, appeals and block conclusions in April). Tasks run in
this process whatever the broker (the demo must not depend on a worker), and e-mails go to
memory. The PDFs, ``trust-root.pem`` and ``manifest.json`` (the contract
``DEMO_MANIFEST.md``) are written to DIR.
"""

from __future__ import annotations

import json
import logging
import time as time_module
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from demo.cycle.appeals import appeals, windows_close
from demo.cycle.conclusions import blocks, conclusions, reverification
from demo.cycle.manifest import collect_documents, manifest
from demo.cycle.plan import DAYS, Run, at
from demo.cycle.setup import next_number, setup
from demo.cycle.submission import imports, reports


def _remove_previous(out: Path) -> None:
    """A DIR used before holds the files of that run: the ones its manifest names go (nothing
    else in DIR is touched), so DIR then holds one run."""
    try:
        previous = json.loads((out / "manifest.json").read_text("utf-8"))
        names = [d["file"] for d in previous.get("documents", [])]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return
    for name in names:
        path = out / Path(str(name)).name
        if path.suffix == ".pdf":
            path.unlink(missing_ok=True)


@contextmanager
def _in_process():
    """Tasks run in this process and e-mails go to memory, whatever the environment; the
    application clock is given back as it was."""
    from django.test.utils import override_settings

    from assessments.kernel import clock
    from config.celery import app

    eager = app.conf.task_always_eager
    frozen_before = clock.now() if clock.is_frozen() else None
    app.conf.task_always_eager = True
    # No line per in-process task, nor kombu's note on the in-memory broker's default host.
    quiet = {name: logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")}
    levels = {name: logger.level for name, logger in quiet.items()}
    quiet["celery.app.trace"].setLevel(logging.WARNING)
    quiet["kombu.connection"].setLevel(logging.ERROR)
    try:
        with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        for name, logger in quiet.items():
            logger.setLevel(levels[name])
        clock.set_now(frozen_before)


def run_demo_cycle(out: Path | str, *, log: Callable[[str], None] = print,
                   with_appeals: bool = True) -> dict:
    """Play a new demo cycle and write DIR; returns the manifest."""
    from reporting.signing.ca import export_trust_root

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out)
    with _in_process():
        from assessments.kernel import clock

        clock.set_now(at(DAYS["imports"], 9))
        run = Run(number=next_number(), out=out, log=log)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("cycle, bodies and people", lambda: setup(run)),
            ("imports of the information systems' data", lambda: imports(run)),
            ("reports, review and openness scores", lambda: reports(run)),
            ("re-verification and the act (annex 1)", lambda: reverification(run)),
        ]
        issued: dict = {}
        steps.append(("conclusions drafted, reviewed, signed and issued",
                      lambda: issued.update(conclusions(run))))
        if with_appeals:
            steps.append(("objections, special commission and the corrected conclusion",
                          lambda: appeals(run, issued)))
            steps.append(("block conclusions (annex 15)", lambda: blocks(run)))
        else:
            steps.append(("objection windows closed", lambda: windows_close(run)))
        for label, step in steps:
            started = time_module.monotonic()
            day = clock.today().isoformat()
            step()
            log(f"[{day} → {clock.today().isoformat()}] {label} "
                f"({time_module.monotonic() - started:.1f} s)")
        collect_documents(run)
        export_trust_root(out)
        data = manifest(run)
    (out / "manifest.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data
