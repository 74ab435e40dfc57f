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
from typing import BinaryIO, TextIO

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
    # ASCII-only output (non-ASCII escaped): valid JSON whatever the terminal's encoding.
    return json.dumps(obj, separators=(",", ":"))


def score_text(text: str | bytes) -> dict:
    """JSON text of one case → result dict (raises :class:`ScoringError`)."""
    return score(validate_case(loads_case(text)))


def run_single(text: str | bytes, indent: int | None = None) -> tuple[int, str, str]:
    try:
        result = score_text(text)
    except ScoringError as e:
        return 2, "", f"invalid case: {e.path or '<root>'}: {e.message}\n"
    if indent is None:
        return 0, _dumps_compact(result) + "\n", ""
    return 0, json.dumps(result, indent=indent) + "\n", ""


def run_jsonl(lines: Iterable[str | bytes], out: TextIO, err: TextIO | None = None) -> int:
    """Score one case per line (``str`` or UTF-8 ``bytes``), writing one compact line per case,
    in order. Returns 2 if any line was invalid, else 0."""
    status = 0
    write = out.write
    flush = out.flush  # one line answered = one line written: usable as a co-process
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result = score(validate_case(loads_case(line)))
        except ScoringError as e:
            status = 2
            write(_dumps_compact(e.as_dict()) + "\n")
            flush()
            if err is not None:
                err.write(f"line {lineno}: invalid case: {e.path or '<root>'}: {e.message}\n")
            continue
        write(_dumps_compact(result) + "\n")
        flush()
    return status


def _binary(stream: TextIO) -> BinaryIO | TextIO:
    return getattr(stream, "buffer", stream)


def _read_source(name: str, stdin: TextIO) -> str | bytes:
    if name == "-":
        return _binary(stdin).read()
    with open(name, "rb") as f:
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
    parser.add_argument("--indent", type=int, default=None, help="pretty-print a single result")
    args = parser.parse_args(argv)
    return dispatch(args.case, args.jsonl, stdin, stdout, stderr, args.indent)


def dispatch(
    case: str | None,
    jsonl: str | None,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    indent: int | None = None,
) -> int:
    """Run the command: ``case`` (path or ``-``) or ``jsonl`` (path or ``-``); exit status."""
    if (case is None) == (jsonl is None):
        stderr.write("score_case: give exactly one of CASE.json (or -) and --jsonl FILE (or -)\n")
        return 2
    if jsonl is not None:
        if jsonl == "-":
            return run_jsonl(_binary(stdin), stdout, stderr)
        try:
            with open(jsonl, "rb") as f:
                return run_jsonl(f, stdout, stderr)
        except OSError as e:
            stderr.write(f"score_case: cannot read {jsonl}: {e.strerror}\n")
            return 2
    try:
        text = _read_source(case, stdin)  # type: ignore[arg-type]
    except OSError as e:
        stderr.write(f"score_case: cannot read {case}: {e.strerror}\n")
        return 2
    status, out, err = run_single(text, indent)
    if out:
        stdout.write(out)
    if err:
        stderr.write(err)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
