"""Configuration: production checks, loud failures on bad values, the compose file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7!k2p-9q_c0r8s1t4u6v3w5y2z0a9b8c7d6e5f4g3h2i1j0k9l8m7n6o5",
    "ALLOWED_HOSTS": "assessment.example.kz",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "var" / "deploy-check.sqlite3"),
}


def _manage(*args, env_extra=None, drop=()):
    # the browser tests lift Django's async guard in this process; a deployment never does
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )


@pytest.mark.smoke
def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.smoke
@pytest.mark.parametrize(
    "extra, message",
    [
        ({"DJANGO_ENV": "production", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({**PROD_ENV, "DEBUG": "1"}, "DEBUG"),
        ({"DEBUG": "ture"}, "DEBUG"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV"),
        ({"SESSION_COOKIE_AGE": "1h"}, "SESSION_COOKIE_AGE"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
    ],
)
def test_bad_configuration_fails_loudly(extra, message):
    result = _manage("check", env_extra=extra)
    assert result.returncode != 0
    assert message in result.stderr


def test_database_url_accepts_sqlite_file_urls(tmp_path):
    target = tmp_path / "x.sqlite3"
    result = _manage("migrate", "-v", "0", env_extra={"DATABASE_URL": f"sqlite:///{target}"},
                     drop=("REDIS_URL",))
    assert result.returncode == 0, result.stderr
    assert target.exists()


def test_embedded_default_runs_tasks_in_process():
    from django.conf import settings

    if settings.REDIS_URL:
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True


@pytest.mark.smoke
def test_compose_file_matches_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert "SECRET_KEY" in env
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["redis"]["condition"] == "service_healthy"
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "config.wsgi" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert "-A" in services["worker"]["command"] and "config" in services["worker"]["command"]
    for name in ("web", "postgres", "redis"):
        assert "healthcheck" in services[name]
    assert set(compose["volumes"]) >= {"pgdata", "media"}
    # every variable the containers set is one the settings read
    settings_text = (ROOT / "config" / "settings.py").read_text()
    for name in ("web", "worker", "beat"):
        for key in services[name]["environment"]:
            assert f'"{key}"' in settings_text, f"{key} is not read by config/settings.py"


@pytest.mark.smoke
def test_dockerfile_installs_weasyprint_libraries_and_fonts():
    text = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "gettext"):
        assert package in text
