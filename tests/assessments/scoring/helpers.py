"""Builders of small valid cases for the scoring tests."""

from __future__ import annotations

import copy

from assessments.scoring import score_case_dict, verify_explain

AUTOMATION = {
    "kinds_total": 120,
    "partially_automated": 30,
    "fully_automated": 60,
    "electronic_volume": 800000,
    "total_volume": 1000000,
    "automated_paper_volume": 50000,
    "automated_total_volume": 900000,
    "mobile_available": 70,
    "unavailability_hours": "7.5",
    "proactive_services": 2,
    "digital_documents": 1,
}


def services_block(kind: str = "central", automation: dict | None = None, **over) -> dict:
    s = {
        "satisfaction_levels": [],
        "rendered": 10000,
        "justified_complaints": 0,
        "late": 0,
        "unjustified_refusals": 0,
        "incomplete_package": 0,
        "extra_documents": 0,
    }
    if kind == "central":
        a = copy.deepcopy(AUTOMATION)
        a.update(automation or {})
        s["automation"] = a
    s.update(over)
    return s


def complaints_block(**over) -> dict:
    c = {
        "handled": 1000,
        "handled_late": 0,
        "court_upheld": 0,
        "received": 1000,
        "redirected_late": 0,
        "disciplinary_actions": 0,
        "excused": 0,
    }
    c.update(over)
    return c


def case(kind: str = "central", special: list | None = None, **directions) -> dict:
    c = {"edition": "2023", "body": {"kind": kind, "special": special or []}}
    c.update(directions)
    return c


def score(c: dict) -> dict:
    """Score and check the explanation recomputes (every test gets that check for free)."""
    result = score_case_dict(c)
    assert verify_explain(result) == []
    return result


def services(kind: str = "central", automation: dict | None = None, **over) -> dict:
    return score(case(kind, services=services_block(kind, automation, **over)))["services"]


def openness(kind: str = "central", special: list | None = None, **blocks) -> dict:
    r = score(case(kind, special, openness=blocks))
    return r


def complaints(**over) -> dict:
    return score(case(complaints=complaints_block(**over)))["complaints"]
