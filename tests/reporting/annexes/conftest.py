"""Sample data for the annexes' tests: the worked example of SCORING_IO.md (a central body) and a
local-body variant, scored by the engine; helpers to render and read a PDF's text."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.scoring import score_case_dict
from reporting.annexes import render_annex
from reporting.annexes.samples import CENTRAL_BODY, LOCAL_BODY
from tests.worlds.pdfcheck import pdf_text

EXAMPLE = Path(__file__).resolve().parents[2] / "assessments" / "scoring" / "example_case.json"


def example_case() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=Decimal)


def local_case() -> dict:
    """The example made a local body's: no automation, no subordinates, the local tables' keys."""
    case = copy.deepcopy(example_case())
    case["body"] = {"kind": "local", "special": []}
    del case["services"]["automation"]
    case["services"]["satisfaction_levels"] = ["4.90", "4.45"]
    case["openness"]["subordinates"] = {}
    case["openness"]["open_budget"] = {
        "scores": {"audit_results": {"kk": "2", "ru": "1.5"}, "comments": {"kk": "1", "ru": "1"}},
        "flags": [],
    }
    case["openness"]["open_npa"] = {
        "scores": {"forms_correctness": {"kk": "1.5", "ru": "1"}}, "flags": ["no_user_comments"],
    }
    case["openness"]["open_dialogue"]["scores"] = {"meetings_reception": {"kk": "1", "ru": "0.5"}}
    case["penalties"] = {
        "services": {"unreliable_facts": 1, "incomplete_facts": 1},
        "openness": {"unreliable_facts": 0, "incomplete_facts": 0},
        "complaints": {"unreliable_facts": 2, "incomplete_facts": 0},
    }
    return case


@pytest.fixture(scope="session")
def central_result() -> dict:
    return score_case_dict(example_case())


@pytest.fixture(scope="session")
def local_result() -> dict:
    return score_case_dict(local_case())


@pytest.fixture
def central_body():
    return CENTRAL_BODY


@pytest.fixture
def local_body():
    return LOCAL_BODY


def flat(text: str) -> str:
    """PDF text with every run of whitespace (line breaks, non-breaking spaces) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def render_text(kind: str, context: dict, **kwargs) -> tuple[bytes, str]:
    data = render_annex(kind, context, **kwargs)
    assert data.startswith(b"%PDF")
    return data, flat(pdf_text(data))
