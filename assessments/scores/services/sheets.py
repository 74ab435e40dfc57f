"""Scores: the engine's results stored per body × direction (p.40–108), and the cycle recompute.

    score_body(*, cycle, body, actor=None) -> dict[str, ScoreSheet]
    cycle_recompute(*, cycle, actor=None, job_id=None) -> dict          (the work of the task)
    recompute_cycle_start(*, cycle, actor) -> BackgroundJob             (the button)
    sheets_from_result(result) -> dict[str, SheetData]

The engine (``assessments.scoring``) computes; this module only feeds it the stored case and
stores what it returns: ``ScoreSheet.values`` are the engine's printed values, ``explain`` its
explanation entries, ``final`` the printed final as a Decimal for lists and sorting. So a stored
sheet and ``manage.py score_case`` on the sheet's input agree to the cent by construction (a test
checks it).

A sheet is stored only when the input version or the result changed; the previous sheet of the
direction stays as history (``is_current`` False).

The cycle recompute first writes the peer averages into the cases that take them
(``services.peer_averages``), then scores every body in-process. It does a constant number of
queries whatever the number of bodies: the current inputs are read in one query, scored in memory,
and the sheets written in a fixed number of batches (``RECOMPUTE_BATCHES``), each batch one
transaction with its bodies locked and its progress reported.
"""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_record
from assessments.kernel.bulk import copy_rows
from assessments.kernel.jobs import job_active, job_create, job_enqueue, job_running
from assessments.models import BackgroundJob, Cycle, Organisation, ScoreSheet, ScoringInput
from assessments.scoring import ScoringError, score_case_dict

from .peer_averages import peer_averages_compute, peer_averages_updates
from .scoring_inputs import (
    scoring_input_current,
    scoring_inputs_current,
    scoring_inputs_set_many,
)

__all__ = [
    "RECOMPUTE_BATCHES",
    "RECOMPUTE_KIND",
    "SHEET_DIRECTIONS",
    "SheetData",
    "cycle_recompute",
    "recompute_cycle_start",
    "score_body",
    "sheets_from_result",
]

SHEET_DIRECTIONS = ("services", "openness", "complaints", "overall")
RECOMPUTE_KIND = "recompute_cycle"
RECOMPUTE_BATCHES = 10


@dataclass(frozen=True)
class SheetData:
    values: dict
    final: Decimal | None
    band: str
    explain: dict
    digest: str
    # the JSON texts the digest was made of (stored as they are: not serialised twice)
    values_json: str = ""
    explain_json: str = ""


def sheets_from_result(result: dict) -> dict[str, SheetData]:
    """Split an engine result into one sheet per direction and the overall row."""
    explain: dict = result.get("explain") or {}
    taken: set[str] = set()
    out: dict[str, SheetData] = {}
    for direction in ("services", "openness", "complaints"):
        values = result.get(direction) or {}
        prefix = direction + "."
        entries = {k: v for k, v in explain.items() if k.startswith(prefix)}
        taken.update(entries)
        final = Decimal(values["final"]) if values else None
        out[direction] = _sheet(values, final, "", entries)
    overall = result.get("overall")
    values = {"overall": overall, "band": result.get("band")} if overall is not None else {}
    rest = {k: v for k, v in explain.items() if k not in taken}
    out["overall"] = _sheet(
        values,
        Decimal(overall) if overall is not None else None,
        result.get("band") or "",
        rest,
    )
    return out


def _dumps(value) -> str:
    # orjson writes exactly what ``json.dumps(value, ensure_ascii=False, separators=(",",
    # ":"))`` writes for the engine's plain dicts, lists and strings, six times faster
    return orjson.dumps(value).decode()


def _sheet(values: dict, final: Decimal | None, band: str, explain: dict) -> SheetData:
    # The engine prints its keys in a fixed order, so the text is canonical without sorting.
    # The digest is the SHA-256 of ``[values, explain]`` as compact JSON; the two texts are
    # made apart and kept, so the store sends them as they are.
    values_json, explain_json = _dumps(values), _dumps(explain)
    digest = hashlib.sha256(f"[{values_json},{explain_json}]".encode()).hexdigest()
    return SheetData(values=values, final=final, band=band, explain=explain, digest=digest,
                     values_json=values_json, explain_json=explain_json)


def _store(cycle: Cycle, pairs: list[tuple[ScoringInput, dict]], actor, now) -> tuple[int, int]:
    """Store the sheets of ``pairs`` (input version, engine result) whose content changed: four
    queries at most, whatever the number of pairs. Returns ``(sheets created, sheets kept)``.

    A sheet whose content (its digest) is the current one's is kept; when only the input
    version moved (another direction's number changed, a peer average another direction
    takes), the current sheet is re-pointed to the new version rather than written again. New
    sheets go by ``COPY`` on PostgreSQL (``kernel.bulk.copy_insert``: Django's bulk insert sends
    the explanations through psycopg's array dumper, which escapes every quote one by one),
    their JSON sent as the texts their digest was made of."""
    if not pairs:
        return 0, 0
    body_ids = sorted({si.body_id for si, _ in pairs})
    current = {
        (s.body_id, s.direction): s
        for s in ScoreSheet.objects.filter(cycle=cycle, body_id__in=body_ids, is_current=True).only(
            "id", "body_id", "direction", "scoring_input_id", "digest"
        )
    }
    stale: list[int] = []
    repoint: list[ScoreSheet] = []
    rows: list[tuple] = []
    kept = 0
    computed_by = actor.pk if getattr(actor, "pk", None) else None
    for si, result in pairs:
        for direction, data in sheets_from_result(result).items():
            cur = current.get((si.body_id, direction))
            if cur is not None and cur.digest == data.digest:
                kept += 1
                if cur.scoring_input_id != si.pk:
                    cur.scoring_input_id = si.pk
                    repoint.append(cur)
                continue
            if cur is not None:
                stale.append(cur.pk)
            rows.append((cycle.pk, si.body_id, direction, si.pk, data.values_json, data.final,
                         data.band, data.explain_json, data.digest, True, computed_by, now))
    if stale:
        ScoreSheet.objects.filter(pk__in=stale).update(is_current=False)
    if repoint:
        ScoreSheet.objects.bulk_update(repoint, ["scoring_input"], batch_size=None)
    if rows and connection.vendor == "postgresql":
        copy_rows(ScoreSheet, _SHEET_COLUMNS, rows)
    elif rows:
        ScoreSheet.objects.bulk_create([ScoreSheet(**_sheet_fields(row)) for row in rows],
                                       batch_size=500)
    return len(rows), kept


def _sheet_fields(row: tuple) -> dict:
    fields = dict(zip(_SHEET_COLUMNS, row, strict=True))
    fields["values"], fields["explain"] = json.loads(row[4]), json.loads(row[7])
    return fields


_SHEET_COLUMNS = ["cycle_id", "body_id", "direction", "scoring_input_id", "values", "final",
                  "band", "explain", "digest", "is_current", "computed_by_id", "computed_at"]


def _lock_bodies(body_ids: list[int]) -> None:
    # The same lock as scoring_inputs_set_many: a change of an input and the scoring of that
    # body never interleave, so a current sheet is never computed from a superseded version.
    list(Organisation.objects.select_for_update().filter(pk__in=body_ids).values("pk"))


def score_body(*, cycle: Cycle, body: Organisation, actor=None) -> dict[str, ScoreSheet]:
    """Recompute one body from its current input; returns its current sheet per direction
    (``services``, ``openness``, ``complaints``, ``overall``), or ``{}`` without an input."""
    with transaction.atomic():
        _lock_bodies([body.pk])
        si = scoring_input_current(cycle=cycle, body=body)
        if si is None:
            return {}
        _store(cycle, [(si, score_case_dict(si.case))], actor, clock.now())
    return {
        s.direction: s
        for s in ScoreSheet.objects.filter(cycle=cycle, body=body, is_current=True).select_related(
            "scoring_input"
        )
    }


def _batches(items: list[int], n: int) -> list[list[int]]:
    if not items:
        return []
    size = -(-len(items) // n)
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _no_cyclic_gc():
    """The recompute holds every body's result (millions of small acyclic objects: dicts,
    strings, rationals) while it scores: Python's cyclic collector would traverse them all, again
    and again, as the engine allocates — the engine then ran three times slower inside the
    recompute than alone. Reference counting frees everything the engine makes; the cyclic
    collector is paused for the recompute and resumed after it (as it was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cycle_recompute(
    *, cycle: Cycle, actor=None, job_id: int | None = None, batches: int = RECOMPUTE_BATCHES
) -> dict[str, Any]:
    """Peer averages, then every body of the cycle (idempotent: a second run changes nothing).

    Returns counts: bodies, input versions made by the averages, sheets created and kept,
    bodies whose case could not be scored (a stored case made invalid by an edition change).
    """
    with _no_cyclic_gc(), job_running(job_id, total=0,
                                      message=_("Расчёт средних баллов")) as progress:
        now = clock.now()
        inputs = list(scoring_inputs_current(cycle=cycle).select_related("body"))
        results: dict[int, dict] = {}
        failed: dict[int, str] = {}
        for si in inputs:
            try:
                results[si.pk] = score_case_dict(si.case)
            except ScoringError as e:
                failed[si.body_id] = str(e)
        # 1. Peer averages (a handful of bodies take them; written in bulk, constant queries).
        averages = peer_averages_compute(inputs, results)
        updates = peer_averages_updates(inputs, averages)
        written = scoring_inputs_set_many(
            cycle=cycle,
            updates=updates,
            actor=actor,
            reason="Расчёт средних баллов (п.67; прил. 10, табл. 2, 6)",
            action="peer_averages",
            schedule_recompute=False,
        )
        by_pk = {si.pk: si for si in inputs}
        new_versions = 0
        for si in written.values():
            if si.pk not in by_pk:
                new_versions += 1
                by_pk[si.pk] = si
                results[si.pk] = score_case_dict(si.case)
        # 2. Every body, in a fixed number of batches.
        body_ids = sorted({si.body_id for si in inputs})
        progress.set_total(len(body_ids))
        created = kept = 0
        for batch in _batches(body_ids, batches):
            with transaction.atomic():
                _lock_bodies(batch)
                ids = list(
                    scoring_inputs_current(cycle=cycle, body_ids=batch).values_list("pk", flat=True)
                )
                missing = [pk for pk in ids if pk not in by_pk]
                if missing:  # changed by someone else since the start: score what is current
                    for si in ScoringInput.objects.filter(pk__in=missing):
                        by_pk[si.pk] = si
                pairs = []
                for pk in ids:
                    si = by_pk[pk]
                    result = results.get(pk)
                    if result is None:
                        try:
                            result = results[pk] = score_case_dict(si.case)
                        except ScoringError as e:
                            failed[si.body_id] = str(e)
                            continue
                    pairs.append((si, result))
                c, k = _store(cycle, pairs, actor, now)
                created += c
                kept += k
            progress.advance(len(batch), message=_("Расчёт оценок органов"))
        summary = {
            "bodies": len(body_ids),
            "peer_average_versions": new_versions,
            "sheets_created": created,
            "sheets_kept": kept,
            "failed": {str(k): v for k, v in sorted(failed.items())},
        }
        progress.result = summary
        progress.message = _("Готово")
    return summary


def recompute_cycle_start(*, cycle: Cycle, actor, reason: str = "") -> BackgroundJob:
    """Queue the cycle's recompute (coordinator, administrator); while one is queued or running,
    return it instead of starting another."""
    if actor is not None and not access.can(actor, "recompute", cycle):
        raise PermissionDenied
    from assessments.scores import tasks

    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        existing = job_active(kind=RECOMPUTE_KIND, subject=cycle)
        if existing is not None:
            return existing
        job = job_create(
            kind=RECOMPUTE_KIND,
            label=_("Пересчёт оценок цикла «%(cycle)s»") % {"cycle": cycle},
            subject=cycle,
            actor=actor,
        )
        audit_record(actor=actor, obj=cycle, action="recompute_cycle", reason=reason)
        # the outbox: sent once this commits, or by the sweep when the broker is back
        job_enqueue(tasks.recompute_cycle, cycle.pk, job=job, kind=RECOMPUTE_KIND,
                    actor_id=getattr(actor, "pk", None))
    return job
