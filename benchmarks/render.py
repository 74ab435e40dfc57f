#!/usr/bin/env python
"""Benchmark of PDF rendering: the conclusions of N bodies through the application's path.

Set-up (not timed): a scratch SQLite database and media folder in a temporary directory
(``DATABASE_URL`` and ``MEDIA_ROOT`` are set before Django starts, then ``migrate``); N bodies,
half central and half local, each with a random valid case (``assessments.scoring.samples``,
seeded) scored by the engine; the contexts of every conclusion of each body — services (annex 3
or 4), automation (annex 5, central bodies), openness (8), complaints (12), block (15) — built by
``reporting.annexes.samples.conclusion_contexts``, and served to the renderers by context
providers registered for the run (``reporting.annexes.provide_context``).

Timed, document by document and alternating so that the machine's load falls on both alike:

* **render** — the application's path: ``document_request`` (a ``RenderedDocument`` row) whose
  on-commit hook runs the Celery task ``reporting.tasks.render_document`` in-process (no
  ``REDIS_URL``: eager), i.e. ``document_render``: renderer → context provider → template →
  WeasyPrint with the shared font configuration and stylesheets → SHA-256 → file saved → row
  updated;
* **anchor bare_weasyprint** — the same HTML (rendered beforehand from the same template and
  context) through bare ``weasyprint.HTML(...).write_pdf`` with one shared ``FontConfiguration``
  and the same page/font stylesheet.

Prints seconds per document (wall clock, and CPU time of this process), the ratio, and the
projection for the national batch (about 13,500 documents) on 2 workers, each rendering one
document at a time at the measured rate. Summary line for ``make bench``::

    render: <s> s/doc; anchor bare_weasyprint <s> s/doc; ratio <x>;
    projection 13500 docs on 2 workers <min> min          (one line)

Goals: ratio ≤ 1.5; projection ≤ 30 min.

Usage: ``.venv/bin/python benchmarks/render.py [--bodies 100] [--seed 7]``
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NATIONAL_BATCH = 13_500
WORKERS = 2


def setup_django(scratch: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'render-bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.pop("REDIS_URL", None)  # tasks in-process, as on the embedded default
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per task
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_documents(bodies: int, seed: int) -> list[tuple[str, int, dict]]:
    """(kind, body number, context) for every conclusion of every body."""
    from assessments.scoring.samples import random_case
    from reporting.annexes.inputs import Body
    from reporting.annexes.samples import CENTRAL_BODY, LOCAL_BODY, conclusion_contexts

    rng = random.Random(seed)
    out = []
    for i in range(1, bodies + 1):
        kind = "central" if i % 2 else "local"
        base = CENTRAL_BODY if kind == "central" else LOCAL_BODY
        body = Body(f"{base.name_ru} № {i}", kind, f"{base.name_kk} № {i}")
        for annex_kind, context in conclusion_contexts(body, random_case(rng, kind)).items():
            out.append((annex_kind, i, context))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="render-bench-"))
    try:
        setup_django(scratch)
        return run(args.bodies, args.seed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(bodies: int, seed: int) -> int:
    import weasyprint
    from django.conf import settings

    from reporting.annexes import ANNEX_KINDS, annex_context_providers
    from reporting.models import RenderedDocument
    from reporting.rendering import base_stylesheets, font_configuration, render_html
    from reporting.services import document_request

    t0 = time.perf_counter()
    documents = build_documents(bodies, seed)
    contexts = {(kind, number): context for kind, number, context in documents}
    # The benchmark's documents have no subject row: the body's number is their version.
    for kind in {kind for kind, _n, _c in documents}:
        annex_context_providers[kind] = lambda document, kind=kind: contexts[
            (kind, document.version)
        ]
    html = {
        (kind, number): render_html(ANNEX_KINDS[kind].template, {**context, "draft": False})
        for kind, number, context in documents
    }
    per_kind = Counter(kind for kind, _n, _c in documents)
    print(f"{bodies} bodies, {len(documents)} documents "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(per_kind.items()))}); "
          f"set-up {time.perf_counter() - t0:.1f} s", flush=True)

    fonts = font_configuration()
    stylesheets = base_stylesheets(False)
    base_url = str(settings.BASE_DIR)

    def bare(text: str) -> bytes:
        return weasyprint.HTML(string=text, base_url=base_url).write_pdf(
            stylesheets=stylesheets, font_config=fonts
        )

    # warm-up: fonts loaded, templates compiled (not counted)
    kind, number, _context = documents[0]
    bare(html[(kind, number)])
    warm = document_request(kind=kind, version=number, language="ru")
    RenderedDocument.objects.filter(pk=warm.pk).delete()

    app_wall = app_cpu = bare_wall = bare_cpu = 0.0
    sizes = 0
    for i, (kind, number, _context) in enumerate(documents, start=1):
        w, c = time.perf_counter(), time.process_time()
        # Outside a transaction the request's on_commit hook fires at once: the task
        # render_document runs in-process, as a worker would run it from the queue.
        document_request(kind=kind, version=number, language="ru")
        app_wall += time.perf_counter() - w
        app_cpu += time.process_time() - c

        w, c = time.perf_counter(), time.process_time()
        data = bare(html[(kind, number)])
        bare_wall += time.perf_counter() - w
        bare_cpu += time.process_time() - c
        sizes += len(data)
        if i % 50 == 0:
            print(f"  {i}/{len(documents)} documents", flush=True)

    rendered = RenderedDocument.objects.filter(state=RenderedDocument.State.RENDERED).count()
    if rendered != len(documents):
        print(f"FAILED: {rendered} of {len(documents)} documents rendered", file=sys.stderr)
        return 1
    n = len(documents)
    per_doc, anchor = app_wall / n, bare_wall / n
    cpu_doc, cpu_anchor = app_cpu / n, bare_cpu / n
    ratio = per_doc / anchor
    projection = NATIONAL_BATCH * per_doc / WORKERS / 60
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"wall: application {per_doc:.3f} s/doc, bare WeasyPrint {anchor:.3f} s/doc")
    print(f"cpu:  application {cpu_doc:.3f} s/doc, bare WeasyPrint {cpu_anchor:.3f} s/doc "
          f"(projection at the CPU rate {NATIONAL_BATCH * cpu_doc / WORKERS / 60:.1f} min)")
    print(f"average PDF {sizes / n / 1024:.0f} KiB; load average {load:.2f} on "
          f"{os.cpu_count()} CPUs")
    print(f"goals: ratio ≤ 1.5 ({'met' if ratio <= 1.5 else 'NOT met'}); projection ≤ 30 min "
          f"({'met' if projection <= 30 else 'NOT met'})")
    print(
        f"render: {per_doc:.3f} s/doc; anchor bare_weasyprint {anchor:.3f} s/doc; "
        f"ratio {ratio:.2f}; projection {NATIONAL_BATCH} docs on {WORKERS} workers "
        f"{projection:.1f} min"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
