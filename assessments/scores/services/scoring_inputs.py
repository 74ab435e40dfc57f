"""Scoring inputs: the one SCORING_IO.md case per body × cycle that the engine scores (p.4, p.40).

Every number of a body's assessment ends up here, wherever it comes from — the body's report, an
import from an information system, an assessor's score, a re-verification finding (p.20), a peer
average, a commission's decision (p.115) or an administrator — with its source. The API:

    scoring_input_current(*, cycle, body) -> ScoringInput | None
    scoring_input_set(*, cycle, body, values, sources, actor, reason) -> ScoringInput
    scoring_input_load_case(*, cycle, body, case, actor, reason, source_kind="admin")
    scoring_inputs_set_many(*, cycle, updates, actor, reason, schedule_recompute=True)
    scoring_inputs_current(*, cycle, body_ids=None) -> QuerySet     (one query for a cycle)

``values`` maps dotted JSON paths of the case to values::

    {"services.late": 100,
     "openness.open_data.scores.published.kk": "2.5",
     "penalties.services.unreliable_facts": 3,
     "openness.open_budget.flags": ["no_press_releases"]}

A value replaces what is at its path (a dict replaces the whole subtree); ``None`` removes the
path. ``sources`` gives, for each path of ``values``, ``{"kind": one of SOURCE_KINDS, "ref": an
id or label, "label": human text}``; the source of a path covers everything below it.

Decisions (README):

* **``case`` is always valid, incomplete directions wait in ``draft``.** A direction whose first
  error is a *missing* field (a required count not given yet, a peer average not computed yet)
  is kept in ``draft`` and is not scored; it moves into ``case`` by itself on the save that
  completes it. An error on a field that *is* given (out of range, a relation broken, an unknown
  key) is refused: :class:`ScoringError` is raised unchanged, nothing is saved. A draft
  direction's values are therefore checked in full when it becomes complete.
* **A version is made only when a value changes.** Setting the same values again (even from
  another source) returns the current version; the audit entry of each version lists every
  changed path ``before → after``.
* **Peer averages belong to the application**: an average the case no longer needs (an indicator
  taken off ``not_assessed``) is dropped on save; a missing one is computed by the cycle's
  recompute (``services.peer_averages``).
* **``body`` comes from the registry**: the skeleton's ``body.kind`` is the organisation's kind
  and ``body.special`` its special status when the engine knows it; a loaded case must agree.
* No permission check here: this is the building block of the services that own each source
  (report acceptance, imports, re-verification, decisions), which check their actors.
  ``scoring_input_load_case`` is the administrator's, and checks it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from assessments.kernel import access, clock
from assessments.kernel.audit import audit_build, audit_record_many
from assessments.kernel.bulk import copy_insert
from assessments.models import SOURCE_KINDS, Cycle, Organisation, ScoringInput
from assessments.scoring import ScoringError, load_edition, validate_case

__all__ = [
    "DIRECTIONS",
    "ScoringInputUpdate",
    "case_skeleton",
    "draft_missing",
    "flatten",
    "full_case",
    "scoring_input_current",
    "scoring_input_diff",
    "scoring_input_load_case",
    "scoring_input_set",
    "scoring_inputs_current",
    "scoring_inputs_set_many",
    "source_of",
    "split_case",
]

DIRECTIONS = ("services", "openness", "complaints")
ENGINE_SPECIALS = frozenset(
    {
        Organisation.Special.MINISTRY_OF_DEFENCE,
        Organisation.Special.MINISTRY_OF_FOREIGN_AFFAIRS,
        Organisation.Special.NATIONAL_BANK,
    }
)
_SEGMENT = re.compile(r"^([^.\[\]]+)((?:\[\d+\])*)$")


# --- Reads --------------------------------------------------------------------------------------


def scoring_input_current(*, cycle: Cycle, body: Organisation) -> ScoringInput | None:
    """The body's latest scoring input version in the cycle, or None."""
    return (
        ScoringInput.objects.filter(cycle=cycle, body=body)
        .select_related("created_by")
        .order_by("-version")
        .first()
    )


def scoring_inputs_current(
    *, cycle: Cycle, body_ids: Iterable[int] | None = None
) -> models.QuerySet[ScoringInput]:
    """The current version of every body's input in the cycle (one query, whatever the count)."""
    latest = (
        ScoringInput.objects.filter(
            cycle_id=models.OuterRef("cycle_id"), body_id=models.OuterRef("body_id")
        )
        .order_by("-version")
        .values("version")[:1]
    )
    qs = ScoringInput.objects.filter(cycle=cycle, version=models.Subquery(latest))
    if body_ids is not None:
        qs = qs.filter(body_id__in=sorted(set(body_ids)))
    return qs.order_by("body_id")


def case_skeleton(cycle: Cycle, body: Organisation) -> dict:
    """The case a body starts with: its edition and its kind and special status (SCORING_IO.md)."""
    kind, special = str(body.kind), str(body.special)  # plain strings, never enum members
    if kind not in ("central", "local"):
        raise ScoringError("body.kind", "the organisation is neither a central nor a local body")
    specials = [special] if kind == "central" and special in ENGINE_SPECIALS else []
    return {"edition": str(cycle.edition), "body": {"kind": kind, "special": specials}}


def full_case(si: ScoringInput | None) -> dict:
    """The case with its draft directions put back (what the what-if page starts from)."""
    if si is None:
        return {}
    # A stored case is plain JSON: a round trip through orjson is an exact deep copy, many
    # times faster than copy.deepcopy.
    full = orjson.loads(orjson.dumps(si.case))
    for direction, block in (si.draft or {}).items():
        full[direction] = orjson.loads(orjson.dumps(block))
    return full


def draft_missing(si: ScoringInput) -> dict[str, ScoringError]:
    """For each draft direction, the first missing field (why it is not scored yet)."""
    out: dict[str, ScoringError] = {}
    base = {k: v for k, v in si.case.items() if k not in DIRECTIONS}
    for direction, block in (si.draft or {}).items():
        try:
            validate_case({**base, direction: block})
        except ScoringError as e:
            out[direction] = e
    return out


def source_of(sources: Mapping[str, dict], path: str) -> dict | None:
    """The source covering ``path``: its own entry, else its nearest parent's (``""``: all)."""
    probe = path
    while True:
        if probe in sources:
            return sources[probe]
        if not probe:
            return None
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of a case by dotted path; lists are leaves (``services.satisfaction_levels``)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def scoring_input_diff(
    before: ScoringInput | None, after: ScoringInput
) -> list[tuple[str, Any, Any]]:
    """``[(path, before, after), …]`` between two versions (drafts included), sorted by path."""
    old = flatten(full_case(before)) if before is not None else {}
    new = flatten(full_case(after))
    rows = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a != b:
            rows.append((path, a, b))
    return rows


# --- Paths and values ------------------------------------------------------------------------


def _segments(path: str) -> list[str | int]:
    """``"services.satisfaction_levels[2]"`` → ``["services", "satisfaction_levels", 2]``."""
    if not path:
        raise ValueError("empty path")
    out: list[str | int] = []
    for part in path.split("."):
        m = _SEGMENT.match(part)
        if m is None:
            raise ValueError(f"bad path {path!r}")
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def _present(case: Any, path: str) -> bool:
    """Whether ``path`` names a value present in ``case`` (an error on it is not "missing")."""
    if not path:
        return True
    try:
        segments = _segments(path)
    except ValueError:
        return True
    node = case
    for seg in segments:
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                return False
        elif not isinstance(node, dict) or seg not in node:
            return False
        node = node[seg]
    return True


def _plain(value: Any, path: str) -> Any:
    """A JSON-storable copy of ``value``: Decimals become decimal strings (exact), floats are
    refused (the contract never reads binary floating point)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ScoringError(path, "must be a finite number")
        return format(value, "f")
    if isinstance(value, float):
        raise ScoringError(
            path, "binary floating-point numbers are not accepted; give a decimal string"
        )
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    raise ScoringError(path, f"unsupported value of type {type(value).__name__}")


def _set_path(case: dict, path: str, value: Any) -> None:
    segments = _segments(path)
    node: Any = case
    for i, seg in enumerate(segments[:-1]):
        nxt = segments[i + 1]
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                raise ScoringError(path, "no such list item")
            node = node[seg]
            continue
        if not isinstance(node, dict):
            raise ScoringError(path, "the parent is not an object")
        if seg not in node or node[seg] is None:
            if value is None:
                return  # removing something that is not there
            node[seg] = [] if isinstance(nxt, int) else {}
        node = node[seg]
    last = segments[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last > len(node):
            raise ScoringError(path, "no such list item")
        if value is None:
            if last < len(node):
                del node[last]
        elif last == len(node):
            node.append(value)
        else:
            node[last] = value
        return
    if not isinstance(node, dict):
        raise ScoringError(path, "the parent is not an object")
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _prune_empty(case: dict) -> None:
    """Drop direction blocks emptied by removals (an empty block is not data)."""
    for direction in DIRECTIONS:
        if case.get(direction) in ({}, None) and direction in case:
            del case[direction]


def _prune_peer_averages(case: dict) -> set[str]:
    """Drop peer averages the case no longer needs; returns the dropped paths (SCORING_IO.md:
    ``peer_average`` must hold exactly the indicators that take an average)."""
    openness = case.get("openness")
    body = case.get("body")
    if not isinstance(openness, dict) or not isinstance(body, dict):
        return set()
    try:
        edition = load_edition(str(case.get("edition")))
        tables = edition.criteria[body.get("kind")]
    except (KeyError, TypeError):
        return set()
    special = body.get("special") or []
    special = set(special) if isinstance(special, list) else set()
    dropped: set[str] = set()
    for name, table in tables.items():
        block = openness.get(name)
        if not isinstance(block, dict) or not isinstance(block.get("peer_average"), dict):
            continue
        needed: set[str] = set()
        na = block.get("not_assessed")
        if table.not_assessed_allowed and isinstance(na, list):
            needed |= {x for x in na if isinstance(x, str)}
        for s in special:
            if s in table.special_peer:
                needed |= set(table.special_peer[s][0])
        for ind in list(block["peer_average"]):
            if ind in table.maxima and ind not in needed:
                del block["peer_average"][ind]
                dropped.add(f"openness.{name}.peer_average.{ind}")
    return dropped


def split_case(full: dict) -> tuple[dict, dict]:
    """``(case, draft)``: the complete directions in a valid case, the incomplete ones apart.

    Raises :class:`ScoringError` for any error on a value that is given (see the module's
    decisions); a direction whose first error is a missing field goes to the draft.
    """
    try:  # the common case (every direction complete): one validation instead of five
        validate_case(full)
    except ScoringError:
        pass
    else:
        return dict(full), {}
    base = {k: v for k, v in full.items() if k not in DIRECTIONS}
    validate_case(base)  # edition, body, penalties, unknown top-level keys: never a draft
    case = dict(base)
    draft: dict = {}
    for direction in DIRECTIONS:
        block = full.get(direction)
        if block is None:
            continue
        try:
            validate_case({**base, direction: block})
        except ScoringError as e:
            if _present(full, e.path):
                raise
            draft[direction] = block
            continue
        case[direction] = block
    validate_case(case)
    return case, draft


def _get(case: Any, path: str) -> Any:
    node = case
    for seg in _segments(path):
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                return None
        elif not isinstance(node, dict) or seg not in node:
            return None
        node = node[seg]
    return node


def _unchanged(si: ScoringInput, values: Mapping[str, Any], body: dict) -> bool:
    """Whether setting ``values`` on ``si`` would change nothing (the fast path of a repeated
    set, e.g. the peer averages of a recompute that finds them unchanged)."""
    if si.case.get("body") != body:
        return False
    view = {**si.case, **si.draft} if si.draft else si.case
    return all(value is not None and _get(view, path) == value for path, value in values.items())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_sources(values: Mapping[str, Any], sources: Mapping[str, dict]) -> None:
    for path in values:
        if values[path] is None and path not in sources:
            continue  # a removal needs no source
        src = sources.get(path)
        if not isinstance(src, dict):
            raise ValueError(f"no source given for {path!r}")
        if src.get("kind") not in SOURCE_KINDS:
            raise ValueError(
                f"source kind of {path!r} must be one of {', '.join(SOURCE_KINDS)}, "
                f"not {src.get('kind')!r}"
            )
    unknown = set(sources) - set(values)
    if unknown:
        raise ValueError(f"sources given for paths not set: {', '.join(sorted(unknown))}")


def _merge_sources(
    old: Mapping[str, dict],
    values: Mapping[str, Any],
    sources: Mapping[str, dict],
    dropped: Iterable[str] = (),
) -> dict:
    result = dict(old)
    for path in list(values) + list(dropped):
        for key in list(result):
            if key == path or key.startswith(path + ".") or key.startswith(path + "["):
                del result[key]
    for path, value in values.items():
        if value is not None or path in sources:
            src = sources[path]
            result[path] = {
                "kind": src["kind"],
                "ref": "" if src.get("ref") is None else str(src.get("ref")),
                "label": str(src.get("label", "")),
            }
    return result


# --- Writes ------------------------------------------------------------------------------------


@dataclass
class ScoringInputUpdate:
    """One body's change for :func:`scoring_inputs_set_many`."""

    body: Organisation
    values: Mapping[str, Any]
    sources: Mapping[str, dict]
    replace: dict | None = None  # a whole case (scoring_input_load_case)


def _schedule_recompute(cycle_id: int, body_ids: list[int]) -> None:
    from assessments.kernel.jobs import job_enqueue
    from assessments.scores import tasks

    for body_id in body_ids:  # the outbox: each sent once this commits
        job_enqueue(tasks.score_body, cycle_id, body_id)


@transaction.atomic
def scoring_inputs_set_many(
    *,
    cycle: Cycle,
    updates: list[ScoringInputUpdate],
    actor,
    reason: str,
    action: str = "scoring_input_set",
    schedule_recompute: bool = True,
) -> dict[int, ScoringInput]:
    """Apply ``updates`` (one per body) in one transaction with a constant number of queries:
    lock the bodies, load their current versions, merge and validate in memory, create the new
    versions and their audit entries in bulk. Returns ``{body_id: current version}``.

    Raises :class:`ScoringError` (the first invalid case, unchanged) or ``ValueError`` (a
    missing or unknown source); nothing is saved then.
    """
    if not updates:
        return {}
    body_ids = [u.body.pk for u in updates]
    if len(set(body_ids)) != len(body_ids):
        raise ValueError("one update per body")
    # Lock the bodies: two changes of one body's input are serialised (the second one sees the
    # first one's version), a recompute of the body waits for the change.
    list(Organisation.objects.select_for_update().filter(pk__in=sorted(body_ids)).values("pk"))
    current = {si.body_id: si for si in scoring_inputs_current(cycle=cycle, body_ids=body_ids)}
    now = clock.now()
    created: list[ScoringInput] = []
    changes_of: dict[int, dict] = {}
    result: dict[int, ScoringInput] = {}
    for update in updates:
        body = update.body
        old = current.get(body.pk)
        if update.replace is not None:
            full = _plain(update.replace, "")
            values: Mapping[str, Any] = {"": full}
            sources = update.sources
            dropped: set[str] = set()  # a loaded case is taken as given: the engine judges it
        else:
            values = {path: _plain(v, path) for path, v in update.values.items()}
            _check_sources(values, update.sources)
            sources = update.sources
            if old is not None and _unchanged(old, values, case_skeleton(cycle, body)["body"]):
                result[body.pk] = old  # every value is already there: nothing to check again
                continue
            full = full_case(old) if old is not None else case_skeleton(cycle, body)
            # The registry says what the body is (its kind and special status).
            full["body"] = case_skeleton(cycle, body)["body"]
            for path, value in values.items():
                _set_path(full, path, value)
            if any(value is None for value in values.values()):
                _prune_empty(full)
            dropped = _prune_peer_averages(full)
        case, draft = split_case(full)
        if old is not None and _canonical([case, draft]) == _canonical([old.case, old.draft]):
            result[body.pk] = old
            continue
        if update.replace is not None:
            new_sources = {"": dict(sources[""])}
        else:
            new_sources = _merge_sources(old.sources if old else {}, values, sources, dropped)
        si = ScoringInput(
            cycle=cycle,
            body=body,
            version=(old.version + 1) if old else 1,
            case=case,
            draft=draft,
            sources=new_sources,
            reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        before = flatten({**old.case, **old.draft} if old.draft else old.case) if old else {}
        after = flatten({**case, **draft})
        changes_of[body.pk] = {
            path: (before.get(path), after.get(path))
            for path in sorted(set(before) | set(after))
            if before.get(path) != after.get(path)
        }
        created.append(si)
        result[body.pk] = si
    if created:
        # COPY (Django's bulk insert sends the cases through psycopg's array dumper); the new
        # versions' ids read back in one query
        copy_insert(ScoringInput, created)
        ids = {
            (body_id, version): pk
            for pk, body_id, version in ScoringInput.objects.filter(
                cycle=cycle, body_id__in=[si.body_id for si in created],
                version__gte=min(si.version for si in created),
            ).values_list("pk", "body_id", "version")
        }
        for si in created:
            si.pk = ids[(si.body_id, si.version)]
            si._state.adding = False
        audit_record_many(
            audit_build(
                actor=actor,
                obj=si,
                action=action,
                changes=changes_of[si.body_id],
                reason=reason,
                at=now,
            )
            for si in created
        )
        if schedule_recompute:
            _schedule_recompute(cycle.pk, [si.body_id for si in created])
    return result


def scoring_input_check(*, cycle: Cycle, body: Organisation, values: dict[str, Any]) -> None:
    """Whether ``values`` (dotted paths → values) would be accepted by
    :func:`scoring_input_set` for the body now: merged into its current case in memory and
    validated by the engine, nothing saved. Raises :class:`ScoringError` unchanged."""
    old = scoring_input_current(cycle=cycle, body=body)
    full = full_case(old) if old is not None else case_skeleton(cycle, body)
    full["body"] = case_skeleton(cycle, body)["body"]
    for path, value in values.items():
        _set_path(full, path, _plain(value, path))
    if any(value is None for value in values.values()):
        _prune_empty(full)
    _prune_peer_averages(full)
    split_case(full)


def scoring_input_set(
    *,
    cycle: Cycle,
    body: Organisation,
    values: dict[str, Any],
    sources: dict[str, dict],
    actor,
    reason: str,
) -> ScoringInput:
    """Set numbers of the body's scoring input (dotted paths → values, each with its source).

    Merges into the current case (or the body's skeleton), validates the whole case with the
    engine (:class:`ScoringError` raised unchanged), makes a new version only if a value changed,
    audits every changed path before → after, and schedules the body's recompute after commit.
    """
    return scoring_inputs_set_many(
        cycle=cycle,
        updates=[ScoringInputUpdate(body=body, values=values, sources=sources)],
        actor=actor,
        reason=reason,
    )[body.pk]


def scoring_input_load_case(
    *,
    cycle: Cycle,
    body: Organisation,
    case: dict,
    actor,
    reason: str,
    source_kind: str = "admin",
) -> ScoringInput:
    """Replace the body's input by a whole SCORING_IO.md case (an administrator's upload, a
    test, the demo). The case's edition must be the cycle's and its ``body`` the registry's."""
    if actor is not None and not access.can(actor, "load_case", cycle):
        raise PermissionDenied
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source kind must be one of {', '.join(SOURCE_KINDS)}")
    if not isinstance(case, dict):
        raise ScoringError("", "must be an object")
    if case.get("edition") != cycle.edition:
        raise ScoringError("edition", f"must be the cycle's edition {cycle.edition!r}")
    expected = case_skeleton(cycle, body)["body"]
    given = case.get("body")
    if isinstance(given, dict):
        if given.get("kind") != expected["kind"]:
            raise ScoringError("body.kind", f"the registry says {expected['kind']!r}")
        special = given.get("special") or []
        if not isinstance(special, list) or set(special) != set(expected["special"]):
            raise ScoringError(
                "body.special",
                f"the registry says {expected['special']!r}",
            )
    ref = getattr(actor, "pk", None)
    label = getattr(actor, "display_name", "") or ("system" if actor is None else str(actor))
    return scoring_inputs_set_many(
        cycle=cycle,
        updates=[
            ScoringInputUpdate(
                body=body,
                values={},
                sources={
                    "": {
                        "kind": source_kind,
                        "ref": "" if ref is None else str(ref),
                        "label": label,
                    }
                },
                replace=case,
            )
        ],
        actor=actor,
        reason=reason,
        action="scoring_input_load",
    )[body.pk]
