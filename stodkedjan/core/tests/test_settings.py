"""Settings come from the environment; bad values stop the process with one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PRODUCTION = {
    "STODKEDJAN_ENV": "production",
    "SECRET_KEY": "k7#Qw9!vT2$mZ4^rX8&pL1*nB6(cF3)hJ5_dG0+sY7=aE2-uW9",
    "ALLOWED_HOSTS": "stodkedjan.example.se",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"STODKEDJAN_ENV": "production", "ALLOWED_HOSTS": "x.example"}, "SECRET_KEY"),
        ({"STODKEDJAN_ENV": "production", "SECRET_KEY": PRODUCTION["SECRET_KEY"]}, "ALLOWED_HOSTS"),
        ({"STODKEDJAN_ENV": "production", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
        ({"DEBUG": "kanske"}, "DEBUG"),
        ({"DATABASE_URL": "inte-en-url"}, "DATABASE_URL"),
        ({"EMAIL_PORT": "tjugofem"}, "EMAIL_PORT"),
        ({"STODKEDJAN_ENV": "staging"}, "STODKEDJAN_ENV"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(env, variable):
    result = manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_needs_no_configuration():
    result = manage("check", STODKEDJAN_ENV="development")
    assert result.returncode == 0, result.stderr


def test_gunicorn_entry_point_reports_bad_configuration_in_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "import stodkedjan.wsgi"],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "STODKEDJAN_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "stodkedjan: configuration error: SECRET_KEY must be set"
