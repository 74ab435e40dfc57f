#!/usr/bin/env bash
# Make sure .venv exists and runs Python 3.11 or newer — checked BEFORE anything is created.
#   scripts/ensure_venv.sh PYTHON VENV
# A wrong PYTHON is refused with the version it found and the one needed; a .venv left by an
# older interpreter (or a broken one: its python does not start) is removed and made again.
set -u
PYTHON="${1:-python3}"
VENV="${2:-.venv}"
NEED_MAJOR=3
NEED_MINOR=11
CHECK="import sys; print('%d.%d' % sys.version_info[:2]); sys.exit(0 if sys.version_info >= ($NEED_MAJOR, $NEED_MINOR) else 1)"

if [ -e "$VENV/bin/python" ] || [ -L "$VENV/bin/python" ]; then
    if found=$("$VENV/bin/python" -c "$CHECK" 2>/dev/null); then
        exit 0
    fi
    echo "  $VENV runs Python ${found:-that does not start}; Python $NEED_MAJOR.$NEED_MINOR+ is needed: making $VENV again"
    rm -rf "$VENV"
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "  '$PYTHON' not found: Python $NEED_MAJOR.$NEED_MINOR or newer is needed (make run PYTHON=python3.11)" >&2
    exit 1
fi
if ! found=$("$PYTHON" -c "$CHECK" 2>/dev/null); then
    echo "  '$PYTHON' is Python ${found:-(unknown)}; Python $NEED_MAJOR.$NEED_MINOR or newer is needed (make run PYTHON=python3.11)" >&2
    exit 1
fi
echo "  creating $VENV with Python $found"
"$PYTHON" -m venv "$VENV" || { rm -rf "$VENV"; echo "  could not create $VENV" >&2; exit 1; }
