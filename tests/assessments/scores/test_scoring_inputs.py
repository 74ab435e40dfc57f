"""services.scoring_inputs: versions, sources, drafts, audit, refusal of invalid values."""

from __future__ import annotations

import pytest

from assessments.models import AuditEntry, ScoringInput
from assessments.scores.services.scoring_inputs import (
    draft_missing,
    scoring_input_current,
    scoring_input_diff,
    scoring_input_load_case,
    scoring_input_set,
    source_of,
)
from assessments.scoring import ScoringError, validate_case
from tests.worlds.scores import case_for, make_body

REPORT = {"kind": "report", "ref": "report-1", "label": "Отчёт органа"}
COMPLAINTS = {
    "handled": 2000, "handled_late": 30, "court_upheld": 1, "received": 5000,
    "redirected_late": 100, "disciplinary_actions": 120, "excused": 5,
}  # fmt: skip


def _set(cycle, body, values, kind="report", actor=None, reason="отчёт"):
    src = {"kind": kind, "ref": "r", "label": "label"}
    return scoring_input_set(
        cycle=cycle,
        body=body,
        values=values,
        sources={p: src for p in values},
        actor=actor,
        reason=reason,
    )


def test_first_set_creates_version_1_from_the_registry_skeleton(scores_cycle, ministry):
    si = _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    assert si.version == 1
    assert si.case["edition"] == "2023"
    assert si.case["body"] == {"kind": "central", "special": []}
    assert si.case["complaints"] == COMPLAINTS
    assert si.draft == {}
    validate_case(si.case)
    assert scoring_input_current(cycle=scores_cycle, body=ministry).pk == si.pk


def test_special_status_comes_from_the_registry(scores_cycle):
    mod = make_body("Министерство обороны", special="ministry_of_defence")
    si = _set(scores_cycle, mod, {"complaints": COMPLAINTS})
    assert si.case["body"]["special"] == ["ministry_of_defence"]


def test_a_change_makes_a_new_version_and_keeps_the_old_one(scores_cycle, ministry):
    v1 = _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    v2 = _set(scores_cycle, ministry, {"complaints.handled_late": 40})
    assert (v1.version, v2.version) == (1, 2)
    assert ScoringInput.objects.get(pk=v1.pk).case["complaints"]["handled_late"] == 30
    assert v2.case["complaints"]["handled_late"] == 40
    assert scoring_input_diff(v1, v2) == [("complaints.handled_late", 30, 40)]


def test_no_new_version_when_nothing_changes(scores_cycle, ministry):
    v1 = _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    entries = AuditEntry.objects.count()
    again = _set(scores_cycle, ministry, {"complaints.handled": 2000}, kind="assessor")
    assert again.pk == v1.pk
    assert ScoringInput.objects.filter(body=ministry).count() == 1
    assert AuditEntry.objects.count() == entries


def test_audit_entry_lists_each_changed_path_before_and_after(
    scores_cycle, ministry, django_user_model
):
    user = django_user_model.objects.create(username="editor")
    _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    v2 = _set(
        scores_cycle,
        ministry,
        {"complaints.handled_late": 40, "complaints.excused": 6},
        actor=user,
        reason="перепроверка",
    )
    entry = AuditEntry.objects.for_object(v2).get()
    assert entry.actor == user
    assert entry.action == "scoring_input_set"
    assert entry.reason == "перепроверка"
    assert entry.changes == {
        "complaints.handled_late": [30, 40],
        "complaints.excused": [5, 6],
    }


def test_sources_cover_their_subtree_and_are_replaced_by_later_sets(scores_cycle, ministry):
    _set(scores_cycle, ministry, {"complaints": COMPLAINTS}, kind="report")
    v2 = _set(scores_cycle, ministry, {"complaints.court_upheld": 2}, kind="finding")
    assert source_of(v2.sources, "complaints.handled")["kind"] == "report"
    assert source_of(v2.sources, "complaints.court_upheld")["kind"] == "finding"
    v3 = _set(
        scores_cycle, ministry, {"complaints": dict(COMPLAINTS, court_upheld=3)}, kind="decision"
    )
    assert source_of(v3.sources, "complaints.court_upheld")["kind"] == "decision"
    assert "complaints.court_upheld" not in v3.sources


def test_invalid_value_is_refused_with_its_path_and_nothing_is_saved(scores_cycle, ministry):
    _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    with pytest.raises(ScoringError) as err:
        _set(scores_cycle, ministry, {"complaints.handled_late": 2001})
    assert err.value.path == "complaints.handled_late"
    with pytest.raises(ScoringError) as err:
        _set(scores_cycle, ministry, {"openness.open_data.scores.published.kk": "2.6"})
    assert err.value.path == "openness.open_data.scores.published.kk"
    assert ScoringInput.objects.filter(body=ministry).count() == 1


def test_binary_floats_are_refused(scores_cycle, ministry):
    with pytest.raises(ScoringError) as err:
        _set(scores_cycle, ministry, {"openness.open_data.scores.published.kk": 2.5})
    assert err.value.path == "openness.open_data.scores.published.kk"


def test_a_source_is_required_for_every_value(scores_cycle, ministry):
    with pytest.raises(ValueError, match="no source"):
        scoring_input_set(
            cycle=scores_cycle,
            body=ministry,
            values={"complaints.handled": 1},
            sources={},
            actor=None,
            reason="",
        )
    with pytest.raises(ValueError, match="source kind"):
        scoring_input_set(
            cycle=scores_cycle,
            body=ministry,
            values={"complaints.handled": 1},
            sources={"complaints.handled": {"kind": "rumour"}},
            actor=None,
            reason="",
        )


def test_incomplete_direction_waits_in_the_draft_until_complete(scores_cycle, ministry):
    v1 = _set(scores_cycle, ministry, {"complaints.handled": 2000, "complaints.handled_late": 30})
    assert "complaints" not in v1.case
    assert v1.draft == {"complaints": {"handled": 2000, "handled_late": 30}}
    validate_case(v1.case)
    missing = draft_missing(v1)
    assert missing["complaints"].path == "complaints.court_upheld"
    rest = {
        f"complaints.{k}": v for k, v in COMPLAINTS.items() if k not in ("handled", "handled_late")
    }
    v2 = _set(scores_cycle, ministry, rest)
    assert v2.case["complaints"] == COMPLAINTS
    assert v2.draft == {}


def test_a_draft_direction_with_a_given_invalid_value_is_refused(scores_cycle, ministry):
    # handled_late > handled is only known once both are given: refused then.
    _set(scores_cycle, ministry, {"complaints.handled": 10})
    with pytest.raises(ScoringError) as err:
        _set(
            scores_cycle,
            ministry,
            dict((f"complaints.{k}", v) for k, v in COMPLAINTS.items() if k != "handled"),
        )
    assert err.value.path == "complaints.handled_late"


def test_none_removes_a_path(scores_cycle, ministry):
    _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    v2 = scoring_input_set(
        cycle=scores_cycle,
        body=ministry,
        values={"complaints": None},
        sources={},
        actor=None,
        reason="снято",
    )
    assert "complaints" not in v2.case and "complaints" not in v2.draft
    assert not any(k.startswith("complaints") for k in v2.sources)


def test_load_case_stores_a_whole_case(scores_cycle, ministry, django_user_model):
    admin = django_user_model.objects.create(username="root", is_superuser=True)
    case = case_for(ministry)
    si = scoring_input_load_case(
        cycle=scores_cycle, body=ministry, case=case, actor=admin, reason="загрузка"
    )
    assert si.case == case
    assert si.sources == {"": {"kind": "admin", "ref": str(admin.pk), "label": str(admin)}}
    assert AuditEntry.objects.for_object(si).get().action == "scoring_input_load"


def test_load_case_refuses_a_case_that_disagrees_with_the_registry(scores_cycle, akimat):
    with pytest.raises(ScoringError) as err:
        scoring_input_load_case(
            cycle=scores_cycle, body=akimat, case=case_for(make_body("X")), actor=None, reason=""
        )
    assert err.value.path == "body.kind"
    bad = case_for(akimat)
    bad["edition"] = "1999"
    with pytest.raises(ScoringError) as err:
        scoring_input_load_case(cycle=scores_cycle, body=akimat, case=bad, actor=None, reason="")
    assert err.value.path == "edition"


def test_load_case_is_for_administrators(scores_cycle, ministry, django_user_model):
    from django.core.exceptions import PermissionDenied

    user = django_user_model.objects.create(username="nobody")
    with pytest.raises(PermissionDenied):
        scoring_input_load_case(
            cycle=scores_cycle, body=ministry, case=case_for(ministry), actor=user, reason=""
        )


def test_recompute_is_scheduled_after_commit(
    scores_cycle, ministry, django_capture_on_commit_callbacks, tasks_inline
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _set(scores_cycle, ministry, {"complaints": COMPLAINTS})
    assert len(callbacks) == 1 and tasks_inline == []  # nothing runs before the commit
    callbacks[0]()
    assert tasks_inline == [("assessments.tasks.score_body", (scores_cycle.pk, ministry.pk), {})]
    from assessments.models import ScoreSheet

    sheet = ScoreSheet.objects.get(body=ministry, direction="complaints", is_current=True)
    assert str(sheet.final) == "78.00"  # the worked example without its penalty
