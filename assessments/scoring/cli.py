"""The command-line face of the engine, without Django (the management command ``score_case``
is a thin wrapper around :func:`main`).

* single case: ``run_single(text)`` → ``(exit_status, stdout_text, stderr_text)``;
* ``--jsonl``: :func:`run_jsonl` streams one result line per input line (blank lines are skipped)
  and returns 2 if any line was invalid, else 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from .engine import score
from .validate import ScoringError, validate_case

__all__ = ["loads_case", "score_text", "run_single", "run_jsonl", "main"]


class InvalidJSON(ScoringError):
    pass


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")


def loads_case(text: str | bytes) -> object:
    """Parse JSON text exactly: floats as :class:`Decimal`, NaN/Infinity refused."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise InvalidJSON("", f"invalid JSON: {e}") from None


def _dumps_compact(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def score_text(text: str | bytes) -> dict:
    """JSON text of one case → result dict (raises :class:`ScoringError`)."""
    return score(validate_case(loads_case(text)))


def run_single(text: str | bytes, indent: int | None = 2) -> tuple[int, str, str]:
    try:
        result = score_text(text)
    except ScoringError as e:
        return 2, "", f"invalid case: {e.path or '<root>'}: {e.message}\n"
    if indent is None:
        return 0, _dumps_compact(result) + "\n", ""
    return 0, json.dumps(result, ensure_ascii=False, indent=indent) + "\n", ""


def run_jsonl(lines: Iterable[str], out: TextIO, err: TextIO | None = None) -> int:
    """Score one case per line, writing one compact line per case, in order."""
    status = 0
    write = out.write
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result = score(validate_case(loads_case(line)))
        except ScoringError as e:
            status = 2
            write(_dumps_compact(e.as_dict()) + "\n")
            if err is not None:
                err.write(f"line {lineno}: invalid case: {e.path or '<root>'}: {e.message}\n")
            continue
        write(_dumps_compact(result) + "\n")
    return status


def _read_source(name: str, stdin: TextIO) -> str:
    if name == "-":
        return stdin.read()
    with open(name, encoding="utf-8") as f:
        return f.read()


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """``score_case CASE.json|-`` or ``score_case --jsonl FILE|-``; returns the exit status."""
    import argparse

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="score_case", description="Score one case (JSON).")
    parser.add_argument("case", nargs="?", help="CASE.json, or - for standard input")
    parser.add_argument("--jsonl", metavar="FILE", help="one case per line; - for standard input")
    args = parser.parse_args(argv)
    return dispatch(args.case, args.jsonl, stdin, stdout, stderr)


def dispatch(
    case: str | None, jsonl: str | None, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    if (case is None) == (jsonl is None):
        stderr.write("score_case: give exactly one of CASE.json (or -) and --jsonl FILE (or -)\n")
        return 2
    if jsonl is not None:
        if jsonl == "-":
            return run_jsonl(stdin, stdout, stderr)
        try:
            with open(jsonl, encoding="utf-8") as f:
                return run_jsonl(f, stdout, stderr)
        except OSError as e:
            stderr.write(f"score_case: cannot read {jsonl}: {e.strerror}\n")
            return 2
    try:
        text = _read_source(case, stdin)  # type: ignore[arg-type]
    except OSError as e:
        stderr.write(f"score_case: cannot read {case}: {e.strerror}\n")
        return 2
    except UnicodeDecodeError as e:
        stderr.write(f"score_case: {case} is not UTF-8 text: {e}\n")
        return 2
    status, out, err = run_single(text)
    if out:
        stdout.write(out)
    if err:
        stderr.write(err)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
