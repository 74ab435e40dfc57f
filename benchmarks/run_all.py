"""Run every benchmark script in this folder and print one summary line per benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run_all.py"}
                     and not p.name.startswith("_"))
    summary: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent,
                                capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            failed += 1
            summary.append(f"{script.stem}: FAILED (exit {result.returncode})")
        summary += [line for line in result.stdout.splitlines() if "; anchor " in line]
    print("\n== summary")
    for line in summary:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
