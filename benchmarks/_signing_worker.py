"""The task the signing-batch benchmark's Celery workers run (``benchmarks/signing_batch.py``;
loaded into each worker with ``celery worker -I benchmarks._signing_worker``, never by the
application).

One conclusion of the generated cycle: its final PDF rendered through the application's path
(``conclusions.services.common._document`` → ``document_request(render_now=True)`` → the
conclusion's context provider → template → WeasyPrint → SHA-256 → file; annex 8 also renders its
annex 10, as the approval does), frozen for the benchmark's signatories (as many as the annex's
signature block) and signed by each in turn through ``signed_document_sign`` with the demo
PKCS#12 signer — both phases (``prepare_pdf``: the next revision with its placeholder; the CMS;
``complete_pdf``), each signature verified (intact, valid, trusted) before it is stored.

The document is frozen under its own kind (``bench_<annex kind>``) so that the conclusions'
signature hook (which moves an approved conclusion to signed) is not involved: the benchmark
measures the rendering and signing work, not the generated conclusions' states.

Each task appends one JSON line to ``<out>/results-<pid>.jsonl``: CPU seconds of the task (this
process), of which rendering, wall seconds, PDFs rendered (2 for annex 8) and signatures made,
the worker child's resident memory after the task.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from celery import shared_task


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@shared_task(name="bench.sign_conclusion", acks_late=True)
def sign_conclusion(conclusion_id: int, user_ids: list[int], passphrase: str, out: str) -> dict:
    from assessments.conclusions.services.common import _document
    from assessments.models import Conclusion, User
    from reporting.models import RenderedDocument
    from reporting.signing.blocks import signature_block
    from reporting.signing.services import signed_document_freeze, signed_document_sign

    cpu0, wall0 = time.process_time(), time.perf_counter()
    conclusion = Conclusion.objects.select_related("body", "cycle").get(pk=conclusion_id)
    rendered = _document(conclusion, draft=False, requested_by=None, render_now=True)
    assert rendered.state == RenderedDocument.State.RENDERED, rendered.state
    # the conclusion's PDF, and annex 8's supporting tables (annex 10) rendered with it
    documents = 1 + int(conclusion.annex == 8 and conclusion.score_sheet_id is not None)
    cpu_render = time.process_time() - cpu0
    with rendered.file.open("rb") as handle:
        pdf = handle.read()
    block = signature_block(conclusion.annex)
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))[: len(block)]
    signed = signed_document_freeze(
        pdf=pdf, kind=f"bench_{rendered.kind}", subject=conclusion, version=conclusion.version,
        title=str(conclusion)[:300],
        signatories=[{"user": user, "position": slot.position} for user, slot in
                     zip(users, block, strict=False)])
    for user in users:
        signed_document_sign(signed_document=signed, user=user, passphrase=passphrase)
    signed.refresh_from_db()
    result = {"conclusion": conclusion_id, "annex": conclusion.annex, "documents": documents,
              "signatures": len(users), "state": signed.state,
              "cpu": time.process_time() - cpu0, "cpu_render": cpu_render,
              "wall": time.perf_counter() - wall0, "rss_mb": _rss_mb(), "pid": os.getpid()}
    with open(Path(out) / f"results-{os.getpid()}.jsonl", "a") as handle:
        handle.write(json.dumps(result) + "\n")
    return result
