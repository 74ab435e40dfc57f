"""The first five minutes (issue 21, item 6): ``make run`` checks Python before making ``.venv``,
remakes a ``.venv`` of a wrong interpreter, and the development process is quiet — e-mails go to
files under ``var/mail/``, a log line is printed once, pyhanko's DSA deprecation warning (not ours)
is filtered."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENSURE = ROOT / "scripts" / "ensure_venv.sh"


def _fake_python(path: Path, version: str, ok: bool) -> Path:
    """An interpreter that reports ``version`` and can make a venv (a link to this Python)."""
    path.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
            mkdir -p "$3/bin" && ln -s "{sys.executable}" "$3/bin/python"; exit $?
        fi
        echo {version}; exit {0 if ok else 1}
        """))
    path.chmod(0o755)
    return path


def test_a_wrong_python_is_refused_before_venv_is_made(tmp_path):
    old = _fake_python(tmp_path / "python3", "3.9", ok=False)
    venv = tmp_path / ".venv"
    run = subprocess.run(["bash", str(ENSURE), str(old), str(venv)], capture_output=True,
                         text=True)
    assert run.returncode != 0
    assert "3.9" in run.stderr and "3.11" in run.stderr
    assert not venv.exists()


def test_a_missing_python_is_named(tmp_path):
    run = subprocess.run(["bash", str(ENSURE), "python-that-is-not-here", str(tmp_path / "v")],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "python-that-is-not-here" in run.stderr
    assert "3.11" in run.stderr


def test_a_venv_of_a_wrong_python_is_made_again(tmp_path):
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    _fake_python(venv / "bin" / "python", "3.9", ok=False)
    (venv / "leftover").write_text("from the broken run")
    good = _fake_python(tmp_path / "python3.11", "3.11", ok=True)
    run = subprocess.run(["bash", str(ENSURE), str(good), str(venv)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert "3.9" in run.stdout
    assert not (venv / "leftover").exists()
    assert (venv / "bin" / "python").resolve() == Path(sys.executable).resolve()
    # A good .venv is kept as it is.
    (venv / "kept").write_text("")
    again = subprocess.run(["bash", str(ENSURE), str(good), str(venv)], capture_output=True,
                           text=True)
    assert again.returncode == 0 and (venv / "kept").exists() and again.stdout == ""


def test_the_makefile_prints_a_progress_line_per_step_and_uses_host_and_port():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for step in range(1, 6):
        assert f'echo "[{step}/5]' in makefile
    assert "SITE_URL ?= http://$(HOST):$(PORT)" in makefile
    assert "open $(SITE_URL)/" in makefile
    assert "scripts/ensure_venv.sh" in makefile


def test_development_is_quiet_mail_to_files_one_log_line_no_dsa_warning(tmp_path):
    code = textwrap.dedent("""\
        import logging, os, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        django.setup()
        import pyhanko.sign.signers.pdf_cms  # noqa: F401  (warns about DSA when unfiltered)
        from django.core.mail import send_mail
        send_mail("Тема", "Текст письма", "a@example.kz", ["b@example.kz"])
        logging.getLogger("django.request").warning("one line only")
        """)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_BACKEND", "DJANGO_ENV",
                        "EMAIL_FILE_PATH", "PYTHONWARNINGS")}
    env.update(APP_VAR_DIR=str(tmp_path), DJANGO_ENV="development", PYTHONWARNINGS="default")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("one line only") == 1
    assert "DSA is deprecated" not in run.stderr
    mails = list((tmp_path / "mail").iterdir())
    assert len(mails) == 1 and "b@example.kz" in mails[0].read_text(encoding="utf-8")
