"""Production mode refuses to start without the settings a deployment must give."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "a-long-random-test-key-that-is-only-used-here-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def start_django(env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORTAL_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    }
    env.update({"PORTAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": ""})
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "integration_portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_starts_with_all_required_settings(tmp_path):
    result = start_django(PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_setting(tmp_path, missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = start_django(env, tmp_path)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required" in result.stderr


def test_production_does_not_generate_a_secret_key(tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    start_django(env, tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_secret_key_once(tmp_path):
    first = start_django({}, tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    start_django({}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_debug_with_a_typo_is_refused(tmp_path):
    result = start_django({"DEBUG": "ja"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_an_open_data_licence_the_portal_does_not_know_needs_its_address(tmp_path):
    unknown = {**PRODUCTION_ENV, "OPEN_DATA_LICENCE": "ODbL-1.0"}
    refused = start_django(unknown, tmp_path)
    assert refused.returncode != 0
    assert "OPEN_DATA_LICENCE_URL" in refused.stderr
    given = {**unknown, "OPEN_DATA_LICENCE_URL": "https://opendatacommons.org/licenses/odbl/"}
    assert start_django(given, tmp_path).returncode == 0
