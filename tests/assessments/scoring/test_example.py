"""The worked example of SCORING_IO.md, reproduced exactly: engine, command, --jsonl."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.scoring import score_case_dict, score_case_json, verify_explain

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
CASE_TEXT = (HERE / "example_case.json").read_text(encoding="utf-8")
EXPECTED = json.loads((HERE / "example_result.json").read_text(encoding="utf-8"))


def _without_explain(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "explain"}


def _check(result: dict) -> None:
    assert _without_explain(result) == _without_explain(EXPECTED)
    assert list(result) == list(EXPECTED)  # key order as in the contract
    for direction in ("services", "openness", "complaints"):
        assert list(result[direction]) == list(EXPECTED[direction])
    t1 = result["explain"]["services.T1"]
    want = EXPECTED["explain"]["services.T1"]
    assert t1["formula"] == want["formula"]
    assert {k: t1["inputs"][k] for k in want["inputs"]} == want["inputs"]
    assert t1["rules"] == want["rules"]
    assert t1["source"] == want["source"]
    assert verify_explain(result) == []


def test_engine_from_json_text():
    _check(score_case_json(CASE_TEXT))


def test_engine_from_dict_with_decimals():
    case = json.loads(CASE_TEXT, parse_float=Decimal)
    _check(score_case_dict(case))


def test_every_printed_number_has_an_explanation():
    result = score_case_json(CASE_TEXT)
    explain = result["explain"]
    for direction in ("services", "openness", "complaints"):
        for code in result[direction]:
            entry = explain[f"{direction}.{code}"]
            assert set(entry) >= {"formula", "inputs", "rules", "source", "value"}
            assert all(isinstance(v, str) for v in entry["inputs"].values())
    assert "overall" in explain and "band" in explain


def test_d_and_s_printed_even_when_not_counted():
    case = json.loads(CASE_TEXT, parse_float=Decimal)
    a = case["services"]["automation"]
    a.update(
        partially_automated=0,
        fully_automated=120,
        electronic_volume=1000000,
        automated_paper_volume=0,
        mobile_available=120,
        unavailability_hours="0",
    )
    r = score_case_dict(case)
    assert r["services"]["D"] == "2.00" and r["services"]["S"] == "1.00"
    assert r["services"]["K3"] == "25.00"
    assert any("not counted" in rule for rule in r["explain"]["services.K3"]["rules"])


def test_command_single_case_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(CASE_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("score_case", str(path), stdout=out)
    text = out.getvalue()
    assert text.count("\n") == 1
    _check(json.loads(text))


def test_command_single_case_stdin():
    out = io.StringIO()
    call_command("score_case", "-", stdin=io.StringIO(CASE_TEXT), stdout=out)
    _check(json.loads(out.getvalue()))


def test_command_jsonl_lines_equal_single_case_output(tmp_path):
    one_line = json.dumps(json.loads(CASE_TEXT))
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join([one_line, '{"edition": "1999"}', one_line]) + "\n")
    single = io.StringIO()
    call_command("score_case", "-", stdin=io.StringIO(CASE_TEXT), stdout=single)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("score_case", "--jsonl", str(src), stdout=out, stderr=io.StringIO())
    assert exc.value.code == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0] == lines[2] == single.getvalue().rstrip("\n")
    assert json.loads(lines[1]) == {
        "error": {"path": "edition", "message": json.loads(lines[1])["error"]["message"]}
    }


def _manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "score_case", *args],
        cwd=ROOT,
        input=stdin.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_subprocess_single_and_jsonl():
    p = _manage("-", stdin=CASE_TEXT)
    assert p.returncode == 0, p.stderr
    _check(json.loads(p.stdout))
    one_line = json.dumps(json.loads(CASE_TEXT))
    p2 = _manage("--jsonl", "-", stdin=f"{one_line}\n{one_line}\n")
    assert p2.returncode == 0, p2.stderr
    lines = p2.stdout.decode().splitlines()
    assert lines == [p.stdout.decode().rstrip("\n")] * 2


def test_subprocess_invalid_case_exit_2():
    case = json.loads(CASE_TEXT)
    case["openness"]["open_data"]["scores"]["published"]["kk"] = "2.6"
    p = _manage("-", stdin=json.dumps(case))
    assert p.returncode == 2
    assert p.stdout == b""
    assert b"openness.open_data.scores.published.kk" in p.stderr


def test_subprocess_invalid_json_exit_2():
    p = _manage("-", stdin="{not json")
    assert p.returncode == 2
    assert p.stdout == b""
    assert b"invalid JSON" in p.stderr
