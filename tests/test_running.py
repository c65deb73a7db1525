"""Running the portal for real: the documented production environment passes Django's
deployment check, and production refuses unsafe settings with a one-line reason."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
README = PROJECT_DIR / "README.md"
# Variables of this process that would change what the started Django sees; among them
# DJANGO_ALLOW_ASYNC_UNSAFE, which tests/browser/conftest.py sets for Playwright in every
# process that collects the browser tests, and which check --deploy rightly refuses.
PORTAL_VARIABLES = re.compile(
    r"^(PORTAL_|SECRET_KEY$|ALLOWED_HOSTS$|CSRF_TRUSTED_ORIGINS$|DATABASE_|DEBUG$|REDIS_URL$"
    r"|SECURE_|EMAIL_|MEDIA_ROOT$|STATIC_ROOT$|DJANGO_SETTINGS_MODULE$"
    r"|DJANGO_ALLOW_ASYNC_UNSAFE$)"
)


def documented_production_environment():
    """The example environment of README, "Configuration" (the block after the words
    "passes `python manage.py check --deploy`")."""
    text = README.read_text()
    section = text[text.index("## Configuration") :]
    section = section[section.index("check --deploy") :]
    block = section[section.index("```text\n") + len("```text\n") :]
    block = block[: block.index("```")]
    return dict(line.split("=", 1) for line in block.splitlines() if line.strip())


def manage(arguments, environment, tmp_path):
    env = {key: value for key, value in os.environ.items() if not PORTAL_VARIABLES.match(key)}
    env.update(environment)
    env.update(
        {"PORTAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "integration_portal.settings"}
    )
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_the_deployment_check(tmp_path):
    environment = documented_production_environment()
    assert environment["PORTAL_ENV"] == "production"
    result = manage(["check", "--deploy"], environment, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        ("DEBUG", "true", "DEBUG must be off in production"),
        ("SECRET_KEY", "too-short-0123456789", "SECRET_KEY is too weak"),
        ("SECRET_KEY", "ab" * 30, "SECRET_KEY is too weak"),
        ("SECRET_KEY", "django-insecure-" + "x1y2z3w4v5" * 5, "SECRET_KEY is too weak"),
    ],
)
def test_production_refuses_an_unsafe_setting_in_one_line(tmp_path, setting, value, reason):
    environment = {**documented_production_environment(), setting: value}
    result = manage(["check"], environment, tmp_path)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert reason in last_line
    assert "PORTAL_ENV=production" in last_line


def test_a_malformed_proxy_header_is_refused(tmp_path):
    environment = {**documented_production_environment(), "PORTAL_PROXY_SSL_HEADER": "https"}
    result = manage(["check"], environment, tmp_path)
    assert result.returncode != 0
    assert "PORTAL_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https'" in result.stderr


def test_behind_the_proxy_https_is_recognised_by_the_configured_header(tmp_path):
    # With the header the proxy sets, the portal knows the visitor came by HTTPS and does not
    # redirect (SECURE_SSL_REDIRECT); without it, it redirects to HTTPS.
    environment = {
        **documented_production_environment(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORTAL_PROXY_SSL_HEADER": "X-Portal-Scheme: secure",
    }
    script = (
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='portal.kreis-unna.de')\n"
        "print(client.get('/healthz').status_code)\n"
        "print(client.get('/healthz', HTTP_X_PORTAL_SCHEME='secure').status_code)\n"
        "print(client.get('/healthz', HTTP_X_FORWARDED_PROTO='https').status_code)\n"
    )
    result = manage(["shell", "--verbosity", "0", "-c", script], environment, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["301", "200", "301"]


# Where the portal reads its environment: settings, the gunicorn config, and the modules
# that read a variable at start (the process's environment never changes later).
READ_ENVIRONMENT = re.compile(
    r"""(?:env_bool|env_list|env_int|environ\.get|getenv|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
CONFIG_FILES = [
    PROJECT_DIR / "integration_portal" / "settings.py",
    PROJECT_DIR / "deploy" / "gunicorn.conf.py",
]


def configuration_table():
    """The variable names in README's one configuration table."""
    text = README.read_text()
    section = text[text.index("## Configuration") :]
    table = section[: section.index("\n\n", section.index("| variable |"))]
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    read = set()
    for path in CONFIG_FILES:
        read |= set(READ_ENVIRONMENT.findall(path.read_text()))
    assert len(read) > 30, "the pattern no longer finds how settings are read"
    # Django's own variable is set by manage.py and wsgi.py, not by operators.
    read.discard("DJANGO_SETTINGS_MODULE")
    assert read - configuration_table() == set()
