"""Every kind of invalid input the contract names → ScoringError / exit 2 with the right path."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.scoring import ScoringError, score_case_dict, validate_case
from assessments.scoring.cli import run_jsonl

BASE = json.loads(
    (Path(__file__).parent / "example_case.json").read_text(encoding="utf-8"), parse_float=Decimal
)


def _set(path: str, value):
    """A mutation setting a dotted path (creating objects on the way); value DELETE removes it."""

    def mutate(c: dict) -> None:
        keys = path.split(".")
        node = c
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value

    return mutate


DELETE = object()


def _all(*mutations):
    def mutate(c: dict) -> None:
        for m in mutations:
            m(c)

    return mutate


def _local(c: dict) -> None:
    c["body"] = {"kind": "local"}
    del c["services"]["automation"]
    del c["openness"]["subordinates"]


ZERO_SERVICES = _all(
    _set("services.rendered", 0),
    _set("services.late", 0),
    _set("services.unjustified_refusals", 0),
    _set("services.extra_documents", 0),
)
NB_PEER = {
    ind: {"kk": "0.5", "ru": "0.5"}
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
MEETINGS_PEER = {
    ind: {"kk": "0.5", "ru": "0.5"}
    for ind in ("meetings_schedule", "meetings_action_plan", "meetings_reception", "meetings_ngo")
}

INVALID = [
    # unknown keys, anywhere
    ("unknown top-level key", _set("extra", 1), "extra"),
    ("unknown key in body", _set("body.name", "x"), "body.name"),
    ("unknown key in services", _set("services.volume", 1), "services.volume"),
    ("unknown key in automation", _set("services.automation.x", 1), "services.automation.x"),
    ("unknown openness criterion", _set("openness.open_kitchen", {}), "openness.open_kitchen"),
    ("unknown key in a criterion", _set("openness.website.flags2", []), "openness.website.flags2"),
    ("unknown key in media", _set("openness.media.reach", 1), "openness.media.reach"),
    ("unknown key in complaints", _set("complaints.lost", 1), "complaints.lost"),
    ("unknown key in penalties", _set("penalties.overall", {}), "penalties.overall"),
    (
        "unknown penalty fact",
        _set("penalties.services.late_facts", 1),
        "penalties.services.late_facts",
    ),
    # edition and body
    ("unknown edition", _set("edition", "2021"), "edition"),
    ("edition missing", _set("edition", DELETE), "edition"),
    ("edition not a string", _set("edition", 2023), "edition"),
    ("body missing", _set("body", DELETE), "body"),
    ("kind missing", _set("body.kind", DELETE), "body.kind"),
    ("unknown kind", _set("body.kind", "regional"), "body.kind"),
    ("unknown special", _set("body.special", ["ministry_of_health"]), "body.special[0]"),
    ("special not a list", _set("body.special", "national_bank"), "body.special"),
    (
        "special on a local body",
        _all(_local, _set("body.special", ["national_bank"])),
        "body.special",
    ),
    # services: required, counts, numbers
    ("local body with automation", _set("body.kind", "local"), "services.automation"),
    ("central body without automation", _set("services.automation", DELETE), "services.automation"),
    ("required count missing", _set("services.rendered", DELETE), "services.rendered"),
    (
        "automation key missing",
        _set("services.automation.mobile_available", DELETE),
        "services.automation.mobile_available",
    ),
    (
        "hours missing",
        _set("services.automation.unavailability_hours", DELETE),
        "services.automation.unavailability_hours",
    ),
    (
        "levels missing",
        _set("services.satisfaction_levels", DELETE),
        "services.satisfaction_levels",
    ),
    ("negative count", _set("services.late", -1), "services.late"),
    ("fractional count", _set("services.late", Decimal("12.5")), "services.late"),
    ("fractional count string", _set("services.late", "12.5"), "services.late"),
    ("boolean count", _set("services.late", True), "services.late"),
    ("null count", _set("services.late", None), "services.late"),
    ("count as object", _set("services.late", {}), "services.late"),
    (
        "exponent string",
        _set("services.automation.unavailability_hours", "1e1"),
        "services.automation.unavailability_hours",
    ),
    (
        "plus sign",
        _set("services.automation.unavailability_hours", "+1"),
        "services.automation.unavailability_hours",
    ),
    (
        "spaces",
        _set("services.automation.unavailability_hours", " 1"),
        "services.automation.unavailability_hours",
    ),
    (
        "trailing dot",
        _set("services.automation.unavailability_hours", "1."),
        "services.automation.unavailability_hours",
    ),
    (
        "leading dot",
        _set("services.automation.unavailability_hours", ".5"),
        "services.automation.unavailability_hours",
    ),
    (
        "comma decimal",
        _set("services.automation.unavailability_hours", "7,5"),
        "services.automation.unavailability_hours",
    ),
    (
        "negative hours",
        _set("services.automation.unavailability_hours", "-0.5"),
        "services.automation.unavailability_hours",
    ),
    (
        "level above 5",
        _set("services.satisfaction_levels", ["4.85", "4.61", "5.01"]),
        "services.satisfaction_levels[2]",
    ),
    (
        "negative level",
        _set("services.satisfaction_levels", ["-1"]),
        "services.satisfaction_levels[0]",
    ),
    (
        "boolean level",
        _set("services.satisfaction_levels", ["4", False]),
        "services.satisfaction_levels[1]",
    ),
    (
        "levels not a list",
        _set("services.satisfaction_levels", "4.8"),
        "services.satisfaction_levels",
    ),
    ("services not an object", _set("services", []), "services"),
    # services: relations (the larger field is named)
    ("late > rendered", _set("services.late", 250001), "services.late"),
    (
        "refusals > rendered",
        _set("services.unjustified_refusals", 250001),
        "services.unjustified_refusals",
    ),
    (
        "incomplete > rendered",
        _set("services.incomplete_package", 250001),
        "services.incomplete_package",
    ),
    ("extra docs > rendered", _set("services.extra_documents", 250001), "services.extra_documents"),
    (
        "zero base with complaints",
        _all(ZERO_SERVICES, _set("services.justified_complaints", 1)),
        "services.justified_complaints",
    ),
    (
        "partial > kinds",
        _set("services.automation.partially_automated", 121),
        "services.automation.partially_automated",
    ),
    (
        "partial + full > kinds",
        _set("services.automation.fully_automated", 91),
        "services.automation.fully_automated",
    ),
    (
        "electronic > total",
        _set("services.automation.electronic_volume", 1000001),
        "services.automation.electronic_volume",
    ),
    (
        "paper > automated total",
        _set("services.automation.automated_paper_volume", 900001),
        "services.automation.automated_paper_volume",
    ),
    (
        "mobile > automated",
        _set("services.automation.mobile_available", 91),
        "services.automation.mobile_available",
    ),
    # openness: scores
    (
        "score above max",
        _set("openness.open_data.scores.published.kk", "2.6"),
        "openness.open_data.scores.published.kk",
    ),
    (
        "negative score",
        _set("openness.open_data.scores.published.ru", "-0.1"),
        "openness.open_data.scores.published.ru",
    ),
    (
        "unknown indicator",
        _set("openness.open_data.scores.downloads", {"kk": "1"}),
        "openness.open_data.scores.downloads",
    ),
    (
        "unknown column",
        _set("openness.open_data.scores.published.en", "1"),
        "openness.open_data.scores.published.en",
    ),
    ("scores not an object", _set("openness.website.scores", []), "openness.website.scores"),
    (
        "computed indicator scored",
        _set("openness.open_dialogue.scores.blog_posts", {"kk": "1"}),
        "openness.open_dialogue.scores.blog_posts",
    ),
    ("media scored", _set("openness.media.scores", {}), "openness.media.scores"),
    (
        "local has no meetings_ngo",
        _all(_local, _set("openness.open_dialogue.scores.meetings_ngo", {"kk": "0.5"})),
        "openness.open_dialogue.scores.meetings_ngo",
    ),
    (
        "local has no law_concepts",
        _all(_local, _set("openness.open_npa.scores.law_concepts", {"kk": "1"})),
        "openness.open_npa.scores.law_concepts",
    ),
    (
        "local table max",
        _all(_local, _set("openness.open_dialogue.scores.meetings_reception", {"kk": "1.1"})),
        "openness.open_dialogue.scores.meetings_reception.kk",
    ),
    (
        "central table max",
        _set("openness.open_dialogue.scores.meetings_reception", {"kk": "0.6"}),
        "openness.open_dialogue.scores.meetings_reception.kk",
    ),
    # openness: where the switches go
    ("unknown flag", _set("openness.open_data.flags", ["no_data"]), "openness.open_data.flags[0]"),
    (
        "flag of another criterion",
        _set("openness.open_data.flags", ["no_press_releases"]),
        "openness.open_data.flags[0]",
    ),
    (
        "npa flag on budget",
        _set("openness.open_budget.flags", ["no_press_releases", "no_user_comments"]),
        "openness.open_budget.flags[1]",
    ),
    (
        "flags on dialogue",
        _set("openness.open_dialogue.flags", ["no_press_releases"]),
        "openness.open_dialogue.flags",
    ),
    ("flags on website", _set("openness.website.flags", []), "openness.website.flags"),
    (
        "flags not a list",
        _set("openness.open_npa.flags", "no_user_comments"),
        "openness.open_npa.flags",
    ),
    (
        "not_assessed on open_data",
        _set("openness.open_data.not_assessed", ["published"]),
        "openness.open_data.not_assessed",
    ),
    (
        "not_assessed on dialogue",
        _set("openness.open_dialogue.not_assessed", []),
        "openness.open_dialogue.not_assessed",
    ),
    (
        "not_assessed unknown",
        _set("openness.open_budget.not_assessed", ["salaries"]),
        "openness.open_budget.not_assessed[0]",
    ),
    (
        "peer_average on open_data",
        _set("openness.open_data.peer_average", {}),
        "openness.open_data.peer_average",
    ),
    (
        "peer average missing",
        _set("openness.open_budget.not_assessed", ["comments"]),
        "openness.open_budget.peer_average.comments",
    ),
    (
        "peer average extra",
        _set("openness.open_budget.peer_average", {"comments": {"kk": "1", "ru": "1"}}),
        "openness.open_budget.peer_average.comments",
    ),
    (
        "peer average negative",
        _all(
            _set("openness.open_budget.not_assessed", ["comments"]),
            _set("openness.open_budget.peer_average", {"comments": {"kk": "-1", "ru": "1"}}),
        ),
        "openness.open_budget.peer_average.comments.kk",
    ),
    (
        "peer average one column",
        _all(
            _set("openness.open_budget.not_assessed", ["comments"]),
            _set("openness.open_budget.peer_average", {"comments": {"kk": "1"}}),
        ),
        "openness.open_budget.peer_average.comments.ru",
    ),
    (
        "national bank without averages",
        _set("body.special", ["national_bank"]),
        "openness.open_budget.peer_average.strategic_plan_report",
    ),
    (
        "national bank, one average extra",
        _all(
            _set("body.special", ["national_bank"]),
            _set(
                "openness.open_budget.peer_average",
                dict(NB_PEER, fs_note={"kk": "0.1", "ru": "0.1"}),
            ),
        ),
        "openness.open_budget.peer_average.fs_note",
    ),
    (
        "defence without online_meetings",
        _all(
            _set("body.special", ["ministry_of_defence"]),
            _set("openness.open_dialogue.peer_average", MEETINGS_PEER),
        ),
        "openness.open_dialogue.peer_average.online_meetings",
    ),
    (
        "foreign affairs with online_meetings",
        _all(
            _set("body.special", ["ministry_of_foreign_affairs"]),
            _set(
                "openness.open_dialogue.peer_average",
                dict(MEETINGS_PEER, online_meetings={"kk": "1", "ru": "1"}),
            ),
        ),
        "openness.open_dialogue.peer_average.online_meetings",
    ),
    (
        "dialogue peer without special",
        _set("openness.open_dialogue.peer_average", MEETINGS_PEER),
        "openness.open_dialogue.peer_average.meetings_schedule",
    ),
    # openness: raw data and relations
    (
        "disliked > rated",
        _set("openness.open_dialogue.disliked_answers", 201),
        "openness.open_dialogue.disliked_answers",
    ),
    (
        "blog posts fractional",
        _set("openness.open_dialogue.blog_posts", "30.5"),
        "openness.open_dialogue.blog_posts",
    ),
    (
        "high publicity > total",
        _set("openness.media.events_high_publicity.ru", 21),
        "openness.media.events_high_publicity.ru",
    ),
    (
        "unknown media column",
        _set("openness.media.events_high_publicity.en", 1),
        "openness.media.events_high_publicity.en",
    ),
    (
        "answered > received",
        _set("openness.media.requests_answered", 41),
        "openness.media.requests_answered",
    ),
    (
        "answered late > answered",
        _set("openness.media.requests_answered_late", 39),
        "openness.media.requests_answered_late",
    ),
    (
        "media percent > 100",
        _set("openness.media.media_satisfied_percent", "100.01"),
        "openness.media.media_satisfied_percent",
    ),
    (
        "population percent < 0",
        _set("openness.media.population_satisfied_percent", "-1"),
        "openness.media.population_satisfied_percent",
    ),
    (
        "subordinates on a local body",
        _all(_local, _set("openness.subordinates", {"penalties": {"no_blog": {"kk": False}}})),
        "openness.subordinates.penalties.no_blog",
    ),
    (
        "subordinate penalty not boolean",
        _set("openness.subordinates.penalties.no_blog", {"kk": 1}),
        "openness.subordinates.penalties.no_blog.kk",
    ),
    (
        "unknown subordinate penalty",
        _set("openness.subordinates.penalties.no_site", {"kk": True}),
        "openness.subordinates.penalties.no_site",
    ),
    (
        "unknown subordinates key",
        _set("openness.subordinates.scores", {}),
        "openness.subordinates.scores",
    ),
    # complaints
    ("complaints count missing", _set("complaints.excused", DELETE), "complaints.excused"),
    ("handled late > handled", _set("complaints.handled_late", 2001), "complaints.handled_late"),
    (
        "redirected late > received",
        _set("complaints.redirected_late", 5001),
        "complaints.redirected_late",
    ),
    ("excused > late", _set("complaints.excused", 131), "complaints.excused"),
    (
        "upheld with nothing handled",
        _all(_set("complaints.handled", 0), _set("complaints.handled_late", 0)),
        "complaints.court_upheld",
    ),
    # penalties
    (
        "negative penalty facts",
        _set("penalties.services.unreliable_facts", -1),
        "penalties.services.unreliable_facts",
    ),
    (
        "fractional penalty facts",
        _set("penalties.openness.incomplete_facts", "0.5"),
        "penalties.openness.incomplete_facts",
    ),
]


def _invalid_case(mutate) -> dict:
    c = copy.deepcopy(BASE)
    mutate(c)
    return c


@pytest.mark.parametrize("label,mutate,path", INVALID, ids=[x[0] for x in INVALID])
def test_engine_names_the_path(label, mutate, path):
    with pytest.raises(ScoringError) as exc:
        validate_case(_invalid_case(mutate))
    assert exc.value.path == path, exc.value.message
    assert exc.value.message


def _json(c: dict) -> str:
    return json.dumps(c, default=lambda o: format(o, "f") if isinstance(o, Decimal) else None)


@pytest.mark.parametrize("label,mutate,path", INVALID, ids=[x[0] for x in INVALID])
def test_command_exit_2_and_path_on_stderr(label, mutate, path):
    out, err = io.StringIO(), io.StringIO()
    text = _json(_invalid_case(mutate))
    with pytest.raises(SystemExit) as exc:
        call_command("score_case", "-", stdin=io.StringIO(text), stdout=out, stderr=err)
    assert exc.value.code == 2
    assert out.getvalue() == ""
    assert f"{path}:" in err.getvalue()


def test_jsonl_reports_each_invalid_line_and_goes_on():
    valid = _json(BASE)
    lines = [valid]
    for _label, mutate, _path in INVALID:
        lines.append(_json(_invalid_case(mutate)))
    lines.append(valid)
    out = io.StringIO()
    status = run_jsonl([line + "\n" for line in lines], out)
    assert status == 2
    got = out.getvalue().splitlines()
    assert len(got) == len(lines)
    assert json.loads(got[0]) == json.loads(got[-1]) and "explain" in json.loads(got[0])
    for (label, _m, path), line in zip(INVALID, got[1:-1], strict=True):
        err = json.loads(line)
        assert list(err) == ["error"], label
        assert err["error"]["path"] == path, (label, err)
        assert err["error"]["message"]


def test_jsonl_all_valid_exit_0_and_blank_lines_skipped():
    valid = _json(BASE)
    out = io.StringIO()
    assert run_jsonl([valid + "\n", "\n", valid + "\n"], out) == 0
    assert len(out.getvalue().splitlines()) == 2


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("{", "invalid JSON"),
        ("", "invalid JSON"),
        ('{"edition": NaN}', "invalid JSON"),
        ('{"edition": "2023", "body": {"kind": "central"}, "x": Infinity}', "invalid JSON"),
        ("[]", "must be an object"),
        ('"case"', "must be an object"),
    ],
)
def test_invalid_json_text(text, fragment):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("score_case", "-", stdin=io.StringIO(text), stdout=out, stderr=err)
    assert exc.value.code == 2
    assert out.getvalue() == ""
    assert fragment in err.getvalue()


def test_jsonl_invalid_json_line():
    out = io.StringIO()
    assert run_jsonl(["{nope\n", b"\xff\xfe{\n"], out) == 2
    for line in out.getvalue().splitlines():
        e = json.loads(line)["error"]
        assert e["path"] == "" and "invalid JSON" in e["message"]


@pytest.mark.parametrize(
    "value", [12, "12", Decimal("12.0"), "12.000", Decimal("1.2E+1"), Decimal("12")]
)
def test_count_forms_accepted(value):
    c = copy.deepcopy(BASE)
    c["services"]["justified_complaints"] = value
    assert score_case_dict(c)["services"]["P2"] == "9.52"


def test_float_is_refused_through_the_api():
    c = copy.deepcopy(BASE)
    c["services"]["automation"]["unavailability_hours"] = 7.5
    with pytest.raises(ScoringError) as exc:
        validate_case(c)
    assert exc.value.path == "services.automation.unavailability_hours"


def test_json_number_12_point_0_is_a_count_in_json_text():
    text = _json(BASE).replace('"late": 100', '"late": 100.0')
    out = io.StringIO()
    call_command("score_case", "-", stdin=io.StringIO(text), stdout=out)
    assert json.loads(out.getvalue())["services"]["T1"] == "8.00"


def test_optional_parts_may_be_missing_or_empty():
    c = copy.deepcopy(BASE)
    c["openness"] = {}
    del c["penalties"]
    c["body"] = {"kind": "central"}
    r = score_case_dict(c)
    assert r["openness"]["P1"] == "0.00" and r["openness"]["P4"] == "0.60"
    assert r["services"]["penalty"] == "0.00"
    local = copy.deepcopy(BASE)
    _local(local)
    local["body"]["special"] = []
    local["openness"]["subordinates"] = {"penalties": {}}
    assert score_case_dict(local)["openness"]["P7"] == "0.00"


def test_peer_average_above_max_is_capped_not_an_error():
    c = copy.deepcopy(BASE)
    c["openness"]["open_budget"] = {
        "not_assessed": ["press_releases"],
        "peer_average": {"press_releases": {"kk": "2.5", "ru": "1"}},
    }
    assert score_case_dict(c)["openness"]["P2"] == "3.00"


def test_penalties_of_an_omitted_direction_are_ignored():
    c = copy.deepcopy(BASE)
    del c["services"]
    r = score_case_dict(c)
    assert r["services"] is None and r["overall"] is None and r["band"] is None
