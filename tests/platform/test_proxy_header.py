"""X-Forwarded-Proto makes a request secure only when the deployment says a proxy sets it.

The setting is read from the environment at start-up, so each case starts Django in a
subprocess with TRUST_X_FORWARDED_PROTO set or unset and asks it about one request."""

from .test_settings import ROOT, run_manage

PROBE = (
    "from django.test import RequestFactory; "
    "r = RequestFactory().get('/', headers={'X-Forwarded-Proto': 'https'}); "
    "print('secure' if r.is_secure() else 'plain')"
)
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k3y-" + "x7Qz9!rT" * 8, "HTTPS": "1"}


def probe(trust: str | None) -> str:
    env = dict(PRODUCTION, TRUST_X_FORWARDED_PROTO=trust)
    result = run_manage("shell", "-c", PROBE, env_overrides=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]


def test_proxy_header_is_ignored_by_default():
    # given no TRUST_X_FORWARDED_PROTO: a client's own header must not make it "secure"
    assert probe(None) == "plain"


def test_proxy_header_is_ignored_when_trust_is_off():
    assert probe("0") == "plain"


def test_proxy_header_is_trusted_when_the_deployment_says_a_proxy_sets_it():
    assert probe("1") == "secure"


def test_proxy_header_compose_trusts_it_only_with_web_on_the_loopback():
    # docker-compose runs behind the TLS proxy: the header is trusted there, and gunicorn's
    # port is published on the loopback only, so no client can go around the proxy
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "TRUST_X_FORWARDED_PROTO: ${TRUST_X_FORWARDED_PROTO:-1}" in compose
    assert 'ports: ["${WEB_BIND:-127.0.0.1}:8000:8000"]' in compose
    assert '"8000:8000"' not in compose
