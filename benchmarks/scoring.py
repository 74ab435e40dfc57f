#!/usr/bin/env python
"""Benchmark of the scoring engine.

Generates N distinct valid cases (central and local, every direction present, seeded RNG), then
measures, in one run:

* in-process: parse JSON text → validate → score (explanations fully built) → serialise to JSON,
  per case, nothing cached across cases;
* the command: ``manage.py score_case --jsonl`` as a subprocess over the same cases (Django start-up
  included, once);
* the anchor: a bare JSON round trip (``json.loads`` + ``json.dumps``) of the same case texts.

Prints milliseconds per body-direction and ratios, and one summary line for ``make bench``::

    scoring_inprocess: <ms> ms/body-direction; anchor json_roundtrip <ms>; ratio <x>

Usage: ``.venv/bin/python benchmarks/scoring.py [--cases N] [--seed S] [--no-command]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessments.scoring.cli import loads_case  # noqa: E402
from assessments.scoring.engine import score  # noqa: E402
from assessments.scoring.samples import random_case  # noqa: E402
from assessments.scoring.validate import validate_case  # noqa: E402


def _default(o: object) -> str:
    if isinstance(o, Decimal):
        return format(o, "f")
    raise TypeError(type(o))


def make_cases(n: int, seed: int) -> list[str]:
    """N distinct case texts (one JSON object per line, no newline inside)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        kind = "central" if len(out) % 2 == 0 else "local"
        text = json.dumps(random_case(rng, kind), default=_default, separators=(",", ":"))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def bench_inprocess(texts: list[str]) -> float:
    dumps = json.dumps
    t0 = time.perf_counter()
    for text in texts:
        dumps(score(validate_case(loads_case(text))), separators=(",", ":"))
    return time.perf_counter() - t0


def bench_anchor(texts: list[str]) -> float:
    loads, dumps = json.loads, json.dumps
    t0 = time.perf_counter()
    for text in texts:
        dumps(loads(text))
    return time.perf_counter() - t0


def bench_command(texts: list[str]) -> tuple[float, float]:
    """(seconds for --jsonl over all cases, seconds for a command with an empty batch)."""
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        python = Path(sys.executable)
    env = dict(os.environ)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        path = f.name
    empty = path + ".empty"
    Path(empty).write_text("")
    try:
        cmd = [str(python), "manage.py", "score_case", "--jsonl"]
        t0 = time.perf_counter()
        subprocess.run(cmd + [empty], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        proc = subprocess.run(cmd + [path], cwd=ROOT, env=env, stdout=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - t0
        lines = proc.stdout.count(b"\n")
        if proc.returncode != 0 or lines != len(texts):
            raise SystemExit(f"score_case --jsonl failed: exit {proc.returncode}, {lines} lines")
    finally:
        os.unlink(path)
        os.unlink(empty)
    return elapsed, startup


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20230131)
    ap.add_argument("--repeat", type=int, default=3, help="best of R timing runs (in-process)")
    ap.add_argument("--no-command", action="store_true", help="skip the subprocess measurement")
    args = ap.parse_args()

    texts = make_cases(args.cases, args.seed)
    directions = len(texts) * 3  # every direction is present in every case
    # warm-up (imports, edition tables), not timed
    for text in texts[:50]:
        json.dumps(score(validate_case(loads_case(text))))

    inproc = min(bench_inprocess(texts) for _ in range(args.repeat))
    anchor = min(bench_anchor(texts) for _ in range(args.repeat))
    ms_in = inproc * 1000 / directions
    ms_anchor = anchor * 1000 / directions
    print(f"cases: {len(texts)} ({directions} body-directions), seed {args.seed}")
    print(f"in-process (validate + score + explain + json.dumps): {inproc:.3f} s, "
          f"{ms_in:.4f} ms/body-direction")  # fmt: skip
    print(f"anchor json.loads+json.dumps of the same cases: {anchor:.3f} s, "
          f"{ms_anchor:.4f} ms/body-direction")  # fmt: skip
    print(f"ratio in-process / anchor: {ms_in / ms_anchor:.1f}")
    if not args.no_command:
        elapsed, startup = bench_command(texts)
        ms_cmd = elapsed * 1000 / directions
        ms_cmd_net = max(0.0, elapsed - startup) * 1000 / directions
        print(f"command score_case --jsonl: {elapsed:.3f} s ({startup:.3f} s start-up), "
              f"{ms_cmd:.4f} ms/body-direction ({ms_cmd_net:.4f} without start-up); "
              f"ratio to anchor {ms_cmd / ms_anchor:.1f}")  # fmt: skip
    print(
        f"scoring_inprocess: {ms_in:.4f} ms/body-direction; "
        f"anchor json_roundtrip {ms_anchor:.4f}; ratio {ms_in / ms_anchor:.1f}"
    )


if __name__ == "__main__":
    main()
