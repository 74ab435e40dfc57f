"""services.scores and services.peer_averages: sheets agree with score_case, peer-average
populations, the idempotent cycle recompute, the progress of its job."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command

from assessments.models import BackgroundJob, ScoreSheet, ScoringInput
from assessments.scores.services.peer_averages import decimal_text
from assessments.scores.services.scoring_inputs import (
    full_case,
    scoring_input_current,
    scoring_input_load_case,
    scoring_input_set,
)
from assessments.scores.services.sheets import cycle_recompute, recompute_cycle_start, score_body
from assessments.scoring import score_case_dict
from tests.worlds.scores import case_for, make_body


def _load(cycle, body, case):
    return scoring_input_load_case(cycle=cycle, body=body, case=case, actor=None, reason="test")


def _score_case_command(case: dict) -> dict:
    """What ``manage.py score_case`` prints for ``case`` (the public contract)."""
    import sys

    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(json.dumps(case))
    try:
        call_command("score_case", "-", stdout=out)
    finally:
        sys.stdin = stdin
    return json.loads(out.getvalue())


def test_sheets_agree_with_score_case_to_the_cent(scores_cycle, ministry):
    case = json.loads(open("tests/assessments/scoring/example_case.json").read())
    case["body"] = {"kind": "central", "special": []}
    si = _load(scores_cycle, ministry, case)
    sheets = score_body(cycle=scores_cycle, body=ministry)
    printed = _score_case_command(si.case)
    for direction in ("services", "openness", "complaints"):
        assert sheets[direction].values == printed[direction]
        assert sheets[direction].final == Decimal(printed[direction]["final"])
        assert sheets[direction].explain == {
            k: v for k, v in printed["explain"].items() if k.startswith(direction + ".")
        }
        assert sheets[direction].scoring_input_id == si.pk
    assert sheets["overall"].values == {"overall": printed["overall"], "band": printed["band"]}
    assert sheets["overall"].final == Decimal("65.73") and sheets["overall"].band == "low"


def test_score_body_stores_nothing_when_nothing_changed(scores_cycle, ministry):
    _load(scores_cycle, ministry, case_for(ministry))
    first = score_body(cycle=scores_cycle, body=ministry)
    again = score_body(cycle=scores_cycle, body=ministry)
    assert {d: s.pk for d, s in first.items()} == {d: s.pk for d, s in again.items()}
    assert ScoreSheet.objects.count() == 4


def test_a_new_version_makes_new_sheets_and_keeps_history(scores_cycle, ministry):
    _load(scores_cycle, ministry, case_for(ministry))
    first = score_body(cycle=scores_cycle, body=ministry)
    assert first["complaints"].final == Decimal("100.00")
    scoring_input_set(
        cycle=scores_cycle,
        body=ministry,
        values={"penalties.complaints.incomplete_facts": 1},
        sources={
            "penalties.complaints.incomplete_facts": {
                "kind": "finding",
                "ref": "act-1",
                "label": "Акт",
            }
        },
        actor=None,
        reason="акт",
    )
    second = score_body(cycle=scores_cycle, body=ministry)
    assert second["complaints"].final == Decimal("98.00")
    assert second["complaints"].pk != first["complaints"].pk
    old = ScoreSheet.objects.get(pk=first["complaints"].pk)
    assert not old.is_current and old.final == Decimal("100.00")
    assert ScoreSheet.objects.filter(body=ministry, is_current=True).count() == 4


def test_an_absent_direction_has_an_empty_sheet(scores_cycle, ministry):
    case = case_for(ministry)
    del case["openness"]
    _load(scores_cycle, ministry, case)
    sheets = score_body(cycle=scores_cycle, body=ministry)
    assert sheets["openness"].final is None and sheets["openness"].values == {}
    assert sheets["overall"].final is None
    assert sheets["services"].final == Decimal("100.00")


# --- Peer averages ----------------------------------------------------------------------------


def _with_scores(body, criterion, indicator, kk, ru):
    case = case_for(body)
    case["openness"][criterion]["scores"][indicator] = {"kk": kk, "ru": ru}
    return case


def _peer(si, criterion, indicator):
    return si.case["openness"][criterion]["peer_average"][indicator]


def test_secret_budget_takes_the_average_of_all_bodies(scores_cycle):
    a = make_body("A")
    b = make_body("B")
    local = make_body("L", kind="local")
    secret = make_body("Secret")
    _load(scores_cycle, a, _with_scores(a, "open_budget", "comments", "1.5", "0.5"))
    _load(scores_cycle, b, _with_scores(b, "open_budget", "comments", "0.5", "0"))
    _load(scores_cycle, local, _with_scores(local, "open_budget", "comments", "1", "1.5"))
    case = _with_scores(secret, "open_budget", "comments", "0", "0")
    case["openness"]["open_budget"]["not_assessed"] = ["comments", "fs_balance"]
    case["openness"]["open_budget"]["peer_average"] = {
        "comments": {"kk": "0", "ru": "0"},
        "fs_balance": {"kk": "0", "ru": "0"},
    }
    _load(scores_cycle, secret, case)
    summary = cycle_recompute(cycle=scores_cycle)
    si = scoring_input_current(cycle=scores_cycle, body=secret)
    assert si.version == 2 and summary["peer_average_versions"] == 1
    # comments has the same maximum (1.5) in tables 2 and 3: every body counts, the local one too
    assert _peer(si, "open_budget", "comments") == {"kk": "1", "ru": decimal_text(Fraction(2, 3))}
    assert decimal_text(Fraction(2, 3)) == "0.666666666667"
    # fs_balance is central only (0.3 each, all perfect): the central bodies A and B
    assert _peer(si, "open_budget", "fs_balance") == {"kk": "0.3", "ru": "0.3"}
    src = si.sources["openness.open_budget.peer_average.comments"]
    assert src["kind"] == "peer_average" and src["ref"] == "all:3"
    assert si.sources["openness.open_budget.peer_average.fs_balance"]["ref"] == "all:2"


def test_programme_reports_average_keeps_to_bodies_of_the_same_table(scores_cycle):
    central = make_body("C")
    local = make_body("L", kind="local")
    secret_local = make_body("SL", kind="local")
    _load(
        scores_cycle,
        central,
        _with_scores(central, "open_budget", "programme_reports", "0.5", "0.5"),
    )
    _load(scores_cycle, local, _with_scores(local, "open_budget", "programme_reports", "1", "2"))
    case = case_for(secret_local)
    case["openness"]["open_budget"]["not_assessed"] = ["programme_reports"]
    case["openness"]["open_budget"]["peer_average"] = {"programme_reports": {"kk": "0", "ru": "0"}}
    _load(scores_cycle, secret_local, case)
    cycle_recompute(cycle=scores_cycle)
    si = scoring_input_current(cycle=scores_cycle, body=secret_local)
    assert _peer(si, "open_budget", "programme_reports") == {"kk": "1", "ru": "2"}


def test_defence_takes_the_central_bodies_average_and_is_excluded_from_it(scores_cycle):
    c1 = make_body("C1")
    c2 = make_body("C2")
    local = make_body("L", kind="local")
    mod = make_body("Минобороны", special="ministry_of_defence")
    mfa = make_body("МИД", special="ministry_of_foreign_affairs")
    _load(scores_cycle, c1, _with_scores(c1, "open_dialogue", "online_meetings", "1.5", "1"))
    _load(scores_cycle, c2, _with_scores(c2, "open_dialogue", "online_meetings", "0.5", "0"))
    _load(scores_cycle, local, _with_scores(local, "open_dialogue", "online_meetings", "0", "0"))
    for body in (mod, mfa):
        case = _with_scores(body, "open_dialogue", "online_meetings", "1", "1")
        case["openness"]["open_dialogue"]["scores"]["meetings_schedule"] = {"kk": "0", "ru": "0"}
        needed = [
            "meetings_schedule",
            "meetings_action_plan",
            "meetings_reception",
            "meetings_ngo",
        ] + (["online_meetings"] if body is mod else [])
        case["openness"]["open_dialogue"]["peer_average"] = {
            ind: {"kk": "0", "ru": "0"} for ind in needed
        }
        _load(scores_cycle, body, case)
    cycle_recompute(cycle=scores_cycle)
    si_mod = scoring_input_current(cycle=scores_cycle, body=mod)
    si_mfa = scoring_input_current(cycle=scores_cycle, body=mfa)
    # online_meetings: the central bodies scored on it — C1, C2 and the MFA (1, 1); not the
    # local body, not the MoD itself.
    assert _peer(si_mod, "open_dialogue", "online_meetings") == {
        "kk": "1",
        "ru": decimal_text(Fraction(2, 3)),
    }
    assert si_mod.sources["openness.open_dialogue.peer_average.online_meetings"]["ref"] == (
        "central:3"
    )
    # meetings_schedule: C1 and C2 only (perfect 0.5); both ministries take it, so neither counts
    assert _peer(si_mod, "open_dialogue", "meetings_schedule") == {"kk": "0.5", "ru": "0.5"}
    assert _peer(si_mfa, "open_dialogue", "meetings_schedule") == {"kk": "0.5", "ru": "0.5"}
    assert si_mfa.sources["openness.open_dialogue.peer_average.meetings_schedule"]["ref"] == (
        "central:2"
    )
    assert "online_meetings" not in si_mfa.case["openness"]["open_dialogue"]["peer_average"]


def test_national_bank_takes_all_bodies_average_with_flags_applied(scores_cycle):
    a = make_body("A")
    flagged = make_body("Flagged")
    nb = make_body("Нацбанк", special="national_bank")
    _load(scores_cycle, a, _with_scores(a, "open_budget", "audit_results", "0", "0"))
    case = _with_scores(flagged, "open_budget", "audit_results", "0", "0")
    case["openness"]["open_budget"]["flags"] = ["no_state_audit"]  # full marks: 0.5 each
    _load(scores_cycle, flagged, case)
    # The National Bank's openness waits in the draft until its averages are computed.
    nb_case = case_for(nb)
    v1 = scoring_input_set(
        cycle=scores_cycle,
        body=nb,
        values={"openness": nb_case["openness"], "complaints": nb_case["complaints"]},
        sources={
            "openness": {"kind": "report", "ref": "1", "label": "Отчёт"},
            "complaints": {"kind": "report", "ref": "1", "label": "Отчёт"},
        },
        actor=None,
        reason="отчёт",
    )
    assert "openness" in v1.draft and "openness" not in v1.case
    cycle_recompute(cycle=scores_cycle)
    si = scoring_input_current(cycle=scores_cycle, body=nb)
    assert si.version == 2 and si.draft == {}
    assert _peer(si, "open_budget", "audit_results") == {"kk": "0.25", "ru": "0.25"}
    sheet = ScoreSheet.objects.get(body=nb, direction="openness", is_current=True)
    assert sheet.scoring_input_id == si.pk and sheet.final is not None
    assert sheet.values == score_case_dict(si.case)["openness"]


def test_recompute_is_idempotent(scores_cycle):
    bodies = [make_body(f"B{i}") for i in range(3)] + [make_body("NB", special="national_bank")]
    for body in bodies[:3]:
        _load(scores_cycle, body, case_for(body))
    nb_case = case_for(bodies[3])
    nb_case["openness"]["open_budget"]["peer_average"] = {
        ind: {"kk": "0", "ru": "0"}
        for ind in (
            "strategic_plan_report",
            "programme_reports",
            "audit_results",
            "citizens_budget",
            "drafts_correctness",
            "drafts_timeliness",
            "comments",
            "press_releases",
        )
    }
    _load(scores_cycle, bodies[3], nb_case)
    first = cycle_recompute(cycle=scores_cycle)
    assert first["sheets_created"] == 16 and first["peer_average_versions"] == 1
    counts = (ScoringInput.objects.count(), ScoreSheet.objects.count())
    second = cycle_recompute(cycle=scores_cycle)
    assert second["sheets_created"] == 0 and second["sheets_kept"] == 16
    assert second["peer_average_versions"] == 0
    assert (ScoringInput.objects.count(), ScoreSheet.objects.count()) == counts


def test_recompute_job_records_its_progress(
    scores_cycle, django_user_model, django_capture_on_commit_callbacks, tasks_inline
):
    admin = django_user_model.objects.create(username="root", is_superuser=True)
    bodies = [make_body(f"B{i}") for i in range(12)]
    for body in bodies:
        _load(scores_cycle, body, case_for(body))
    with django_capture_on_commit_callbacks(execute=True):
        job = recompute_cycle_start(cycle=scores_cycle, actor=admin)
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.state == "done" and job.total == 12 and job.done == 12 and job.percent == 100
    assert job.result["bodies"] == 12 and job.result["sheets_created"] == 48
    assert job.started_by == admin and job.finished_at is not None
    assert tasks_inline == [
        (
            "assessments.tasks.recompute_cycle",
            (scores_cycle.pk,),
            {"actor_id": admin.pk},  # the job travels as ``_job`` (the outbox's row)
        )
    ]
    assert job.task_name == "assessments.tasks.recompute_cycle" and job.attempts == 1


def test_only_coordinators_and_admins_start_a_recompute(scores_cycle, django_user_model):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        recompute_cycle_start(
            cycle=scores_cycle, actor=django_user_model.objects.create(username="x")
        )


def test_a_running_recompute_is_not_started_twice(scores_cycle, django_user_model):
    admin = django_user_model.objects.create(username="root", is_superuser=True)
    first = recompute_cycle_start(cycle=scores_cycle, actor=admin)  # not run: no commit here
    second = recompute_cycle_start(cycle=scores_cycle, actor=admin)
    assert first.pk == second.pk and first.state == "queued"


def test_a_failed_job_keeps_its_error(scores_cycle):
    from assessments.kernel.jobs import job_create, job_running

    job = job_create(kind="test", label="t", subject=scores_cycle)
    with pytest.raises(RuntimeError), job_running(job.pk, total=3) as progress:
        progress.advance(2)
        raise RuntimeError("boom")
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.state == "failed" and job.done == 2 and "boom" in job.error


def test_full_case_puts_drafts_back(scores_cycle, ministry):
    si = scoring_input_set(
        cycle=scores_cycle,
        body=ministry,
        values={"complaints.handled": 3},
        sources={"complaints.handled": {"kind": "report", "ref": "", "label": ""}},
        actor=None,
        reason="",
    )
    assert full_case(si)["complaints"] == {"handled": 3}


@pytest.mark.parametrize(
    "value,text",
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(2, 3), "0.666666666667"),
        (Fraction(1, 3), "0.333333333333"),
        (Fraction(3), "3"),
        (Fraction(1, 8), "0.125"),
        (Fraction(5, 6), "0.833333333333"),
    ],
)
def test_decimal_text(value, text):
    assert decimal_text(value) == text


def _recompute_queries(cycle) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        summary = cycle_recompute(cycle=cycle, batches=3)
    return len(ctx.captured_queries), summary


def test_recompute_query_count_does_not_grow_with_the_bodies(scores_cycle):
    """The recompute's queries are a constant whatever the number of bodies (the sheets of a
    batch in one COPY on PostgreSQL; a fixed number of batches, three here); pinned: a first
    run, and a run that changes nothing."""
    from assessments.models import Cycle

    counts = {}
    for n in (3, 12):
        cycle = Cycle.objects.create(code=f"q-{n}", year=2025, edition="2023")
        for i in range(n):
            body = make_body(f"Q{n}-{i}", kind="local" if i % 2 else "central")
            _load(cycle, body, case_for(body))
        first, summary = _recompute_queries(cycle)
        assert summary["sheets_created"] == 4 * n
        again, summary = _recompute_queries(cycle)
        assert summary["sheets_created"] == 0 and summary["sheets_kept"] == 4 * n
        counts[n] = (first, again)
    assert counts[3] == counts[12], counts


def test_sheets_stored_in_bulk_read_back_as_the_engine_printed_them(scores_cycle):
    bodies = [make_body(f"S{i}", kind="local" if i % 2 else "central") for i in range(4)]
    for body in bodies:
        _load(scores_cycle, body, case_for(body))
    cycle_recompute(cycle=scores_cycle)
    for body in bodies:
        si = scoring_input_current(cycle=scores_cycle, body=body)
        result = score_case_dict(si.case)
        sheets = {s.direction: s for s in ScoreSheet.objects.filter(body=body, is_current=True)}
        for direction in ("services", "openness", "complaints"):
            assert sheets[direction].values == result[direction]
            assert sheets[direction].explain == {
                k: v for k, v in result["explain"].items() if k.startswith(direction + ".")}
            assert sheets[direction].final == Decimal(result[direction]["final"])
        assert sheets["overall"].values == {"overall": result["overall"], "band": result["band"]}


def test_a_new_version_with_the_same_result_keeps_the_sheet(scores_cycle, ministry):
    """Only sheets whose content changed are written: a direction whose result a new input
    version leaves as it was keeps its sheet, pointed at the new version."""
    _load(scores_cycle, ministry, case_for(ministry))
    first = score_body(cycle=scores_cycle, body=ministry)
    scoring_input_set(
        cycle=scores_cycle, body=ministry,
        values={"penalties.complaints.incomplete_facts": 1},
        sources={"penalties.complaints.incomplete_facts":
                 {"kind": "finding", "ref": "act-1", "label": "Акт"}},
        actor=None, reason="акт",
    )  # fmt: skip
    second = score_body(cycle=scores_cycle, body=ministry)
    si = scoring_input_current(cycle=scores_cycle, body=ministry)
    assert second["services"].pk == first["services"].pk
    assert second["services"].scoring_input_id == si.pk
    assert second["complaints"].pk != first["complaints"].pk
    assert ScoreSheet.objects.filter(body=ministry).count() == 4 + 2  # complaints and overall
