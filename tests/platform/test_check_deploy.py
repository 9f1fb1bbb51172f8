"""`manage.py check --deploy --fail-level WARNING` is clean on production settings.

Settings are read from the environment at start-up, so each run is a subprocess with the
production environment set: DEBUG off, HTTPS on, a long random key, a real host name."""

import pytest

from .test_settings import run_manage

PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "k3y-" + "x7Qz9!rT-Lm4wP2#" * 4,
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
}


def check_deploy(**overrides: str) -> tuple[int, str]:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION | overrides
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("trust_proxy", ["0", "1"])
def test_check_deploy_is_clean_on_production_settings(trust_proxy):
    # given production settings, directly exposed or behind the TLS proxy
    # when / then: not a single warning
    code, output = check_deploy(TRUST_X_FORWARDED_PROTO=trust_proxy)
    assert code == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


def test_check_deploy_fails_on_a_weak_key():
    # the refused side: the check is strict enough to fail a deployment with a short key
    code, output = check_deploy(SECRET_KEY="short")
    assert code != 0
    assert "security.W009" in output


def test_check_deploy_fails_on_plain_http():
    # and one served without HTTPS (no redirect, cookies sent in the clear, no HSTS)
    code, output = check_deploy(HTTPS="0")
    assert code != 0
    assert "security.W008" in output
