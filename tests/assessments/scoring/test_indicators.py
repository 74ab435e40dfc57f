"""Table-driven tests of every indicator, band edges, zero bases, caps and rounding."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assessments.scoring.engine import band_of
from assessments.scoring.exact import fmt2, qstr
from assessments.scoring.recompute import round_half_up

from .helpers import case, complaints, complaints_block, openness, score, services, services_block


def _p(x: Fraction | str | int) -> str:
    """Expected printed value of an exact number."""
    return round_half_up(Fraction(x))


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n,d,printed",
    [
        (2275, 1000, "2.28"),
        (2274, 1000, "2.27"),
        (5825, 1000, "5.83"),
        (1, 200, "0.01"),
        (1, 201, "0.00"),
        (0, 1, "0.00"),
        (100, 1, "100.00"),
        (157, 18, "8.72"),
        (35, 9, "3.89"),
        (-2275, 1000, "-2.28"),
        (999999, 200000, "5.00"),
    ],
)
def test_fmt2_half_up(n, d, printed):
    assert fmt2(n, d) == printed


def test_exact_result_ending_in_5_at_the_third_decimal_rounds_up():
    # T1 = 12 − 3 / 80000 × 10000 = 11.625 exactly
    s = services(late=3, rendered=80000)
    assert s["T1"] == "11.63"
    # a score of 2.275 (exactly representable only as a rational, never as a float)
    r = openness(open_data={"scores": {"published": {"kk": "2.275"}}})
    assert r["openness"]["P1"] == "2.28"
    assert r["explain"]["openness.P1"]["value"] == "2.275"


def test_qstr_exact_text():
    assert qstr(2275, 1000) == "2.275"
    assert qstr(157, 18) == "157/18"
    assert qstr(50, 100) == "0.5"


# --- services: P1 (annex 6) ----------------------------------------------------------------------

CENTRAL_LEVELS = [
    ("5", 15),
    ("4.80", 15),
    ("4.8", 15),
    ("4.79", 12),
    ("4.795", 12),
    ("4.60", 12),
    ("4.59", 9),
    ("4.40", 9),
    ("4.39", 6),
    ("4.20", 6),
    ("4.19", 3),
    ("4.00", 3),
    ("3.99", 0),
    ("0", 0),
]
LOCAL_LEVELS = [
    ("5", 20),
    ("4.80", 20),
    ("4.79", 16),
    ("4.60", 16),
    ("4.59", 12),
    ("4.40", 12),
    ("4.39", 8),
    ("4.20", 8),
    ("4.19", 4),
    ("4.00", 4),
    ("3.99", 0),
]


@pytest.mark.parametrize("level,points", CENTRAL_LEVELS)
def test_p1_bands_central(level, points):
    assert services(satisfaction_levels=[level])["P1"] == _p(points)


@pytest.mark.parametrize("level,points", LOCAL_LEVELS)
def test_p1_bands_local(level, points):
    assert services("local", satisfaction_levels=[level])["P1"] == _p(points)


@pytest.mark.parametrize(
    "levels,expected",
    [
        (["4.85", "4.61", "3.90"], "9.00"),
        (["5", "4.6"], "13.50"),
        (["4.8", "4.4", "4"], "9.00"),
        (["4.8", "4.8", "4.6"], "14.00"),
        (["4.85", "4.2", "4.19"], "8.00"),
    ],
)
def test_p1_mean(levels, expected):
    assert services(satisfaction_levels=levels)["P1"] == expected


@pytest.mark.parametrize("kind,mx", [("central", "15.00"), ("local", "20.00")])
def test_p1_no_levels_takes_the_maximum(kind, mx):
    r = score(case(kind, services=services_block(kind)))
    assert r["services"]["P1"] == mx
    assert any("zero base" in x for x in r["explain"]["services.P1"]["rules"])


# --- services: P2, T1–T4 -------------------------------------------------------------------------

DEDUCTIONS = [
    # (field, code, central k, local k)
    ("justified_complaints", "P2", 10, 20),
    ("late", "T1", 12, 14),
    ("unjustified_refusals", "T2", 14, 18),
    ("incomplete_package", "T3", 12, 14),
    ("extra_documents", "T4", 12, 14),
]


@pytest.mark.parametrize("field,code,k_central,k_local", DEDUCTIONS)
@pytest.mark.parametrize("kind", ["central", "local"])
@pytest.mark.parametrize("x,b", [(0, 10000), (1, 10000), (12, 250000), (3, 7), (3, 80000)])
def test_deduction_per_10000(field, code, k_central, k_local, kind, x, b):
    k = k_central if kind == "central" else k_local
    expected = max(Fraction(0), k - Fraction(x, b) * 10000)
    assert services(kind, rendered=b, **{field: x})[code] == _p(expected)


@pytest.mark.parametrize("field,code,k_central,k_local", DEDUCTIONS)
def test_deduction_negative_floored_at_zero(field, code, k_central, k_local):
    r = score(case(services=services_block(rendered=1000, **{field: 900})))
    assert r["services"][code] == "0.00"
    assert any("floored" in x for x in r["explain"][f"services.{code}"]["rules"])


@pytest.mark.parametrize("kind", ["central", "local"])
def test_no_services_rendered_takes_maxima(kind):
    r = score(case(kind, services=services_block(kind, rendered=0)))
    s = r["services"]
    for _field, code, kc, kl in DEDUCTIONS:
        assert s[code] == _p(kc if kind == "central" else kl)
        assert any("zero base" in x for x in r["explain"][f"services.{code}"]["rules"])


def test_k1_k2_totals_central():
    s = services(
        satisfaction_levels=["4.85", "4.61", "3.90"],
        rendered=250000,
        justified_complaints=12,
        late=100,
        unjustified_refusals=3,
        extra_documents=1,
    )
    assert (s["K1"], s["K2"]) == ("18.52", "45.84")


def test_local_services_keys_and_total():
    r = score(case("local", services=services_block("local", satisfaction_levels=["5"])))
    s = r["services"]
    assert list(s) == ["P1", "P2", "K1", "T1", "T2", "T3", "T4", "K2", "total", "penalty", "final"]
    assert s["total"] == "100.00" and s["K1"] == "40.00" and s["K2"] == "60.00"


# --- services: automation (K3) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "c,d,n,expected",
    [
        (30, 60, 120, "6.25"),
        (0, 0, 0, "10.00"),
        (0, 0, 5, "0.00"),
        (1, 0, 3, "1.67"),
        (0, 7, 7, "10.00"),
        (7, 0, 7, "5.00"),
    ],
)
def test_t_degree_of_automation(c, d, n, expected):
    a = {"partially_automated": c, "fully_automated": d, "kinds_total": n, "mobile_available": 0}
    assert services(automation=a)["T"] == expected


@pytest.mark.parametrize(
    "e,z,b,c,expected",
    [
        (800000, 1000000, 50000, 900000, "8.72"),
        (0, 0, 0, 0, "10.00"),
        (0, 10, 0, 0, "5.00"),
        (5, 10, 10, 10, "2.50"),
        (10, 10, 0, 0, "10.00"),
        (0, 0, 3, 3, "5.00"),
    ],
)
def test_v_efficiency_zero_bases_count_as_full_shares(e, z, b, c, expected):
    a = {
        "electronic_volume": e,
        "total_volume": z,
        "automated_paper_volume": b,
        "automated_total_volume": c,
    }
    assert services(automation=a)["V"] == expected


@pytest.mark.parametrize(
    "w,pa,fa,expected",
    [(70, 30, 60, "3.89"), (0, 0, 0, "5.00"), (0, 1, 0, "0.00"), (3, 2, 1, "5.00")],
)
def test_c_smartphone(w, pa, fa, expected):
    a = {"mobile_available": w, "partially_automated": pa, "fully_automated": fa}
    assert services(automation=a)["C"] == expected


@pytest.mark.parametrize(
    "hours,expected",
    [
        ("0", "0.00"),
        ("7.5", "1.50"),
        ("24.9", "4.98"),
        ("25", "5.00"),
        ("30", "5.00"),
        ("0.05", "0.01"),
        ("0.024", "0.00"),
    ],
)
def test_p_unavailability_capped_at_5(hours, expected):
    assert services(automation={"unavailability_hours": hours})["P"] == expected


@pytest.mark.parametrize(
    "q,docs,d,s",
    [
        (0, 0, "0.00", "0.00"),
        (2, 1, "2.00", "1.00"),
        (5, 3, "3.00", "2.00"),
        (3, 2, "3.00", "2.00"),
    ],
)
def test_d_and_s_stimuli_capped(q, docs, d, s):
    r = services(automation={"proactive_services": q, "digital_documents": docs})
    assert (r["D"], r["S"]) == (d, s)


FULL_AUTOMATION = {
    "kinds_total": 10,
    "partially_automated": 0,
    "fully_automated": 10,
    "electronic_volume": 5,
    "total_volume": 5,
    "automated_paper_volume": 0,
    "automated_total_volume": 5,
    "mobile_available": 10,
    "unavailability_hours": "0",
}


def test_k3_stimulus_ignored_at_25():
    a = dict(FULL_AUTOMATION, proactive_services=3, digital_documents=2)
    r = score(case(services=services_block(automation=a)))
    s = r["services"]
    assert (s["T"], s["V"], s["C"], s["P"], s["D"], s["S"]) == (
        "10.00",
        "10.00",
        "5.00",
        "0.00",
        "3.00",
        "2.00",
    )
    assert s["K3"] == "25.00"
    assert any("not counted" in x for x in r["explain"]["services.K3"]["rules"])


def test_k3_stimulus_lifts_only_up_to_25():
    a = dict(FULL_AUTOMATION, unavailability_hours="5", proactive_services=3, digital_documents=0)
    r = score(case(services=services_block(automation=a)))
    assert r["services"]["P"] == "1.00"
    assert r["services"]["K3"] == "25.00"  # 24 + 3 → 25
    assert any("only up to" in x for x in r["explain"]["services.K3"]["rules"])


def test_k3_stimulus_counts_below_25():
    a = dict(FULL_AUTOMATION, unavailability_hours="15", proactive_services=1, digital_documents=1)
    assert services(automation=a)["K3"] == "24.00"  # 25 − 3 + 1 + 1


def test_k3_negative_floored_at_zero():
    a = {
        "kinds_total": 10,
        "partially_automated": 1,
        "fully_automated": 0,
        "mobile_available": 0,
        "electronic_volume": 0,
        "total_volume": 10,
        "automated_paper_volume": 10,
        "automated_total_volume": 10,
        "unavailability_hours": "100",
        "proactive_services": 0,
        "digital_documents": 0,
    }
    r = score(case(services=services_block(automation=a)))
    assert r["services"]["T"] == "0.50" and r["services"]["P"] == "5.00"
    assert r["services"]["K3"] == "0.00"
    assert any("floored" in x for x in r["explain"]["services.K3"]["rules"])


# --- openness ------------------------------------------------------------------------------------


def _full(t: dict) -> dict:
    return {ind: {"kk": mx, "ru": mx} for ind, mx in t.items()}


OPEN_DATA_FIVE = {
    "published": "2.5",
    "on_request": "1",
    "timeliness": "3",
    "correctness": "2",
    "needs_events": "0.5",
}


def test_open_data_stimulus_ignored_at_18():
    scores = _full(dict(OPEN_DATA_FIVE, api_stimulus="1"))
    r = openness(open_data={"scores": scores})
    assert r["openness"]["P1"] == "18.00"
    assert any("not counted" in x for x in r["explain"]["openness.P1"]["rules"])


def test_open_data_stimulus_lifts_only_below_18():
    scores = _full(dict(OPEN_DATA_FIVE, api_stimulus="1"))
    scores["published"] = {"kk": "2", "ru": "2.5"}  # five = 17.5, + 2 → 18
    r = openness(open_data={"scores": scores})
    assert r["openness"]["P1"] == "18.00"
    assert any("only up to" in x for x in r["explain"]["openness.P1"]["rules"])
    scores["published"] = {"kk": "0", "ru": "0"}  # five = 13, + 2 → 15
    assert openness(open_data={"scores": scores})["openness"]["P1"] == "15.00"


def test_open_data_flags():
    r = openness(open_data={"flags": ["no_requests_and_needs_events_held"]})
    assert r["openness"]["P1"] == "2.00"
    assert r["explain"]["openness.open_data.on_request"]["id"] == "full_marks"
    r = openness(
        open_data={"flags": ["no_unified_list_datasets"], "scores": {"api_stimulus": {"kk": "0"}}}
    )
    assert r["openness"]["P1"] == "2.00"


@pytest.mark.parametrize("kind", ["central", "local"])
def test_budget_no_press_releases_zeroes_two_indicators(kind):
    tables = {
        "central": {"programme_reports": "0.5", "drafts_timeliness": "0.5", "comments": "1.5"},
        "local": {"programme_reports": "2", "drafts_timeliness": "0.5", "comments": "1.5"},
    }
    scores = _full(tables[kind])
    base = openness(kind, open_budget={"scores": scores})["openness"]["P2"]
    assert base == ("5.00" if kind == "central" else "8.00")
    r = openness(kind, open_budget={"scores": scores, "flags": ["no_press_releases"]})
    assert r["openness"]["P2"] == "3.00"
    # the legal acts' criterion is not touched by the budget's flag
    r = openness(
        kind,
        open_budget={"flags": ["no_press_releases"]},
        open_npa={"scores": {"drafts_with_notes": {"kk": "1", "ru": "1"}}},
    )
    assert r["openness"]["P3"] == "2.00"


@pytest.mark.parametrize("kind,mx", [("central", "1.00"), ("local", "4.00")])
def test_budget_no_state_audit_full_marks(kind, mx):
    assert openness(kind, open_budget={"flags": ["no_state_audit"]})["openness"]["P2"] == mx


def test_npa_flags_central():
    s = {"law_concepts": {"kk": "1", "ru": "1"}, "drafts_with_notes": {"kk": "0.5", "ru": "1"}}
    assert openness(open_npa={"scores": s})["openness"]["P3"] == "3.50"
    assert openness(open_npa={"scores": s, "flags": ["no_press_releases"]})["openness"]["P3"] == (
        "0.00"
    )
    r = openness(open_npa={"scores": s, "flags": ["no_press_releases", "no_drafts_planned"]})
    assert r["openness"]["P3"] == "4.00"  # full marks stand (p.71)
    assert openness(open_npa={"flags": ["no_user_comments"]})["openness"]["P3"] == "7.00"


def test_npa_flags_local():
    assert openness("local", open_npa={"flags": ["no_drafts_planned"]})["openness"]["P3"] == "4.00"
    assert openness("local", open_npa={"flags": ["no_user_comments"]})["openness"]["P3"] == "8.00"


@pytest.mark.parametrize(
    "posts,per_column",
    [
        (0, "0.3"),
        (10, "0.3"),
        (11, "0.5"),
        (25, "0.5"),
        (26, "1"),
        (50, "1"),
        (51, "1.5"),
        (500, "1.5"),
    ],
)
def test_blog_post_thresholds(posts, per_column):
    r = openness(open_dialogue={"blog_posts": posts})
    assert r["openness"]["P4"] == _p(2 * Fraction(per_column))


@pytest.mark.parametrize(
    "rated,disliked,zeroed",
    [
        (1000, 100, False),
        (1000, 101, True),
        (0, 0, False),
        (10, 1, False),
        (1000, 1000, True),
        (999, 100, True),
    ],
)
def test_dislikes_above_10_percent_zero_blog_answers(rated, disliked, zeroed):
    d = {
        "scores": {"blog_answers": {"kk": "2.5", "ru": "2"}},
        "blog_posts": 0,
        "rated_answers": rated,
        "disliked_answers": disliked,
    }
    r = openness(open_dialogue=d)
    assert r["openness"]["P4"] == ("0.60" if zeroed else "5.10")


def test_dislike_at_10_point_1_percent():
    d = {
        "scores": {"blog_answers": {"kk": "2.5", "ru": "2.5"}},
        "blog_posts": 0,
        "rated_answers": 1000,
        "disliked_answers": 101,
    }
    assert openness(open_dialogue=d)["openness"]["P4"] == "0.60"


def test_website():
    s = {
        k: {"kk": "1.5", "ru": "1.5"}
        for k in (
            "contacts",
            "budget_spending",
            "inspections",
            "lawmaking",
            "statistics",
            "ask_question",
        )
    }
    assert openness(website={"scores": s})["openness"]["P5"] == "18.00"


def _media(**over) -> dict:
    m = {
        "events_high_publicity": {"kk": 0, "ru": 0},
        "events_total": 0,
        "requests_received": 0,
        "requests_answered": 0,
        "requests_answered_late": 0,
        "media_satisfied_percent": "0",
        "population_satisfied_percent": "0",
    }
    m.update(over)
    return m


@pytest.mark.parametrize(
    "population,d",
    [
        ("0", "0"),
        ("35", "0"),
        ("35.99", "0"),
        ("36", "0.4"),
        ("46.99", "0.4"),
        ("47", "0.6"),
        ("57.5", "0.6"),
        ("58", "0.8"),
        ("68.99", "0.8"),
        ("69", "1"),
        ("79", "1"),
        ("79.5", "1"),
        ("80", "1"),
        ("80.01", "1.5"),
        ("100", "1.5"),
    ],
)
def test_media_d_population_bands(population, d):
    r = openness(media=_media(population_satisfied_percent=population))
    assert r["openness"]["P6"] == _p(2 * Fraction(d))  # C = 0: P6 = D_kk + D_ru


@pytest.mark.parametrize(
    "a_kk,a_ru,total,expected_a_sum",
    [
        (0, 0, 0, Fraction(0)),
        (5, 5, 5, Fraction(10, 12) * Fraction(5, 2)),
        (12, 12, 12, Fraction(5)),
        (10, 12, 20, Fraction(22, 20) * Fraction(5, 2)),
        (11, 0, 11, Fraction(11, 12) * Fraction(5, 2)),
    ],
)
def test_media_a_with_at_least_12_events(a_kk, a_ru, total, expected_a_sum):
    m = _media(
        events_high_publicity={"kk": a_kk, "ru": a_ru},
        events_total=total,
        media_satisfied_percent="100",
    )
    # B = 1 per column (nothing received), C = 1, D = 0
    assert openness(media=m)["openness"]["P6"] == _p(expected_a_sum + 2)


@pytest.mark.parametrize(
    "received,answered,late,b",
    [
        (0, 0, 0, Fraction(1)),
        (40, 38, 3, Fraction(35, 40)),
        (10, 0, 0, Fraction(0)),
        (10, 10, 10, Fraction(0)),
    ],
)
def test_media_b_and_c(received, answered, late, b):
    m = _media(
        requests_received=received,
        requests_answered=answered,
        requests_answered_late=late,
        media_satisfied_percent="85",
    )
    assert openness(media=m)["openness"]["P6"] == _p(2 * b * Fraction(85, 100))


def test_media_example_half_up():
    m = _media(
        events_high_publicity={"kk": 10, "ru": 12},
        events_total=20,
        requests_received=40,
        requests_answered=38,
        requests_answered_late=3,
        media_satisfied_percent="85",
        population_satisfied_percent="72",
    )
    r = openness(media=m)
    assert r["openness"]["P6"] == "5.83"
    assert r["explain"]["openness.P6"]["value"] == "5.825"


def test_p7_central_sum_and_cap_local_zero():
    pens = (
        "website_missing",
        "datasets_missing",
        "datasets_not_updated",
        "datasets_incorrect",
        "no_blog",
        "answers_below_90",
    )
    all_on = {"penalties": {k: {"kk": True, "ru": True} for k in pens}}
    r = openness(subordinates=all_on)
    assert r["openness"]["P7"] == "9.00"
    assert r["openness"]["total"] == "0.00"  # floored at 0
    r = openness(subordinates={"penalties": {"website_missing": {"kk": True}, "no_blog": {}}})
    assert r["openness"]["P7"] == "1.50"
    r = openness("local", subordinates={"penalties": {}})
    assert r["openness"]["P7"] == "0.00"
    assert list(r["openness"]) == [
        "P1",
        "P2",
        "P3",
        "P4",
        "P5",
        "P6",
        "P7",
        "total",
        "penalty",
        "final",
    ]


def test_openness_total_is_sum_minus_p7():
    r = openness(
        open_data={"scores": {"published": {"kk": "2.5", "ru": "2.5"}}},
        website={"scores": {"contacts": {"kk": "1.5"}}},
        subordinates={"penalties": {"no_blog": {"kk": True}}},
    )
    assert r["openness"]["total"] == "6.60"  # 5 + 1.5 + 0.6 (no blog: 0 posts → 0.3 × 2) − 0.5


# --- peer averages -------------------------------------------------------------------------------

NB = [
    "strategic_plan_report",
    "programme_reports",
    "audit_results",
    "citizens_budget",
    "drafts_correctness",
    "drafts_timeliness",
    "comments",
    "press_releases",
]
MEETINGS = ["meetings_schedule", "meetings_action_plan", "meetings_reception", "meetings_ngo"]


def test_not_assessed_takes_peer_average_ignoring_score_and_flags():
    b = {
        "not_assessed": ["comments", "programme_reports"],
        "flags": ["no_press_releases"],
        "scores": {"comments": {"kk": "0", "ru": "0"}},
        "peer_average": {
            "comments": {"kk": "1.2", "ru": "2"},
            "programme_reports": {"kk": "0.25", "ru": "0.45"},
        },
    }
    r = openness(open_budget=b)
    assert r["openness"]["P2"] == "3.40"  # 1.2 + 1.5 (capped) + 0.25 + 0.45
    e = r["explain"]["openness.open_budget.comments"]
    assert e["id"] == "peer_average"
    assert any("ignored" in x for x in e["rules"])
    assert any("capped" in x for x in e["rules"])
    e = r["explain"]["openness.open_budget.programme_reports"]
    assert any("flags do not apply" in x for x in e["rules"])


def test_national_bank_peer_average():
    peer = {ind: {"kk": "0.5", "ru": "0.25"} for ind in NB}
    peer["comments"] = {"kk": "1.5", "ru": "1"}
    peer["press_releases"] = {"kk": "2", "ru": "1"}
    r = openness(special=["national_bank"], open_budget={"peer_average": peer})
    assert r["openness"]["P2"] == _p(Fraction(3, 4) * 6 + Fraction(5, 2) + 3)


def test_ministries_meetings_peer_average():
    peer = {ind: {"kk": "0.5", "ru": "0.5"} for ind in MEETINGS}
    r = openness(special=["ministry_of_foreign_affairs"], open_dialogue={"peer_average": peer})
    assert r["openness"]["P4"] == "4.60"  # 4 + blog posts 0.3 × 2
    peer["online_meetings"] = {"kk": "1", "ru": "1.5"}
    r = openness(special=["ministry_of_defence"], open_dialogue={"peer_average": peer})
    assert r["openness"]["P4"] == "7.10"


# --- complaints ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "f,p,expected",
    [
        (30, 2000, "25.00"),
        (0, 2000, "40.00"),
        (0, 0, "40.00"),
        (40, 1000, "0.00"),
        (1000, 1000, "0.00"),
        (1, 3, "0.00"),
        (1, 30000, "39.97"),
    ],
)
def test_r1(f, p, expected):
    assert complaints(handled=p, handled_late=f)["R1"] == expected


@pytest.mark.parametrize(
    "a,p,expected",
    [
        (1, 2000, "25.00"),
        (0, 2000, "30.00"),
        (0, 0, "30.00"),
        (6, 2000, "0.00"),
        (7, 3, "0.00"),
        (1, 30000, "29.67"),
    ],
)
def test_r2(a, p, expected):
    assert complaints(handled=p, court_upheld=a)["R2"] == expected


@pytest.mark.parametrize(
    "n,m,expected",
    [
        (100, 5000, "18.00"),
        (0, 0, "20.00"),
        (0, 10, "20.00"),
        (10, 10, "0.00"),
        (1, 3, "0.00"),
        (1, 7, "5.71"),
    ],
)
def test_r3(n, m, expected):
    assert complaints(received=m, redirected_late=n)["R3"] == expected


@pytest.mark.parametrize(
    "actions,late,expected",
    [
        (90, 100, "10.00"),
        (8999, 10000, "8.00"),
        (80, 100, "8.00"),
        (799, 1000, "6.00"),
        (70, 100, "6.00"),
        (69, 100, "4.00"),
        (60, 100, "4.00"),
        (59, 100, "1.00"),
        (50, 100, "1.00"),
        (4999, 10000, "0.00"),
        (0, 100, "0.00"),
        (150, 100, "10.00"),
        (0, 0, "10.00"),
    ],
)
def test_r4_annex_13_bands(actions, late, expected):
    assert complaints(handled=10000, handled_late=late, disciplinary_actions=actions)["R4"] == (
        expected
    )


def test_r4_excused_leave_the_denominator():
    # 9 actions of 12 late, 2 excused: 9 / 10 = 90 % → 10 (without excusing: 75 % → 6)
    c = complaints(handled_late=7, redirected_late=5, excused=2, disciplinary_actions=9)
    assert c["R4"] == "10.00"
    c = complaints(handled_late=2, redirected_late=0, excused=2, disciplinary_actions=0)
    assert c["R4"] == "10.00"  # no late cases left after excusing


# --- penalties, finals, overall, band ------------------------------------------------------------


@pytest.mark.parametrize(
    "u,i,penalty",
    [
        (0, 0, "0.00"),
        (3, 0, "0.60"),
        (24, 0, "4.80"),
        (25, 0, "5.00"),
        (30, 0, "5.00"),
        (0, 1, "2.00"),
        (0, 2, "4.00"),
        (0, 3, "5.00"),
        (3, 1, "2.60"),
        (5, 2, "5.00"),
    ],
)
def test_penalty_cap(u, i, penalty):
    r = score(
        case(
            complaints=complaints_block(),
            penalties={"complaints": {"unreliable_facts": u, "incomplete_facts": i}},
        )
    )
    assert r["complaints"]["penalty"] == penalty
    assert r["complaints"]["final"] == _p(100 - Fraction(penalty))


def test_final_floored_at_zero():
    r = score(
        case(
            openness={"open_data": {"scores": {"published": {"kk": "1"}}}},
            penalties={"openness": {"incomplete_facts": 2}},
        )
    )
    assert r["openness"]["total"] == "1.60"  # 1 + 0.6 for a blog with 0 posts
    assert r["openness"]["final"] == "0.00"


def test_omitted_direction_gives_null_overall_and_band():
    r = score(
        case(complaints=complaints_block(), penalties={"services": {"unreliable_facts": 100}})
    )
    assert r["services"] is None and r["openness"] is None
    assert r["overall"] is None and r["band"] is None
    assert list(r) == [
        "edition",
        "kind",
        "services",
        "openness",
        "complaints",
        "overall",
        "band",
        "explain",
    ]


@pytest.mark.parametrize(
    "cents,band",
    [
        (10000, "high"),
        (9000, "high"),
        (8999, "medium"),
        (7000, "medium"),
        (6999, "low"),
        (5000, "low"),
        (4999, "ineffective"),
        (0, "ineffective"),
    ],
)
def test_band_edges(cents, band):
    assert band_of(cents, "2023") == band


def test_overall_from_finals_as_printed():
    r = score(
        case(
            services=services_block(
                satisfaction_levels=["4.85", "4.61", "3.90"],
                rendered=250000,
                justified_complaints=12,
                late=100,
                unjustified_refusals=3,
                extra_documents=1,
            ),
            openness={
                "media": {
                    "events_high_publicity": {"kk": 10, "ru": 12},
                    "events_total": 20,
                    "requests_received": 40,
                    "requests_answered": 38,
                    "requests_answered_late": 3,
                    "media_satisfied_percent": "85",
                    "population_satisfied_percent": "72",
                }
            },
            complaints=complaints_block(handled=3, handled_late=1),
        )
    )
    s, o, c = (Fraction(r[d]["final"]) for d in ("services", "openness", "complaints"))
    assert r["explain"]["openness.final"]["value"] == "6.425"  # 5.825 + 0.6
    assert r["explain"]["overall"]["inputs"]["openness"] == "6.43"  # as printed, not 6.425
    assert r["overall"] == _p(Fraction(1, 2) * s + Fraction(1, 5) * o + Fraction(3, 10) * c)


def test_perfect_bodies_score_100():
    from assessments.scoring.samples import perfect_case

    for kind in ("central", "local"):
        r = score(perfect_case(kind))
        for d in ("services", "openness", "complaints"):
            assert r[d]["total"] == r[d]["final"] == "100.00"
        assert (r["overall"], r["band"]) == ("100.00", "high")
