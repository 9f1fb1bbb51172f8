"""Production static files carry hashed names, and the pages refer to those names.

A hashed name changes whenever the file does, so browsers and proxies may keep it for ever
and never run an old app.js against a new page."""

import json
import re

import pytest
from django.core.management import call_command
from django.template import engines
from django.test import override_settings

from .test_settings import ROOT, run_manage

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED_APP_JS = re.compile(r"/static/js/app\.[0-9a-f]{12}\.js")


def render_static(name: str) -> str:
    return engines["django"].from_string("{% load static %}{% static '" + name + "' %}").render()


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": MANIFEST_STORAGE},
}


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory):
    """collectstatic once, into a temporary STATIC_ROOT, with the production storage."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected(collected_root):
    """The collected files in use, as in production, for one test."""
    with override_settings(STATIC_ROOT=collected_root, STORAGES=STORAGES):
        yield collected_root


def test_static_manifest_names_app_js_by_its_hash(collected):
    # given the files collected with the manifest storage
    # when a template refers to js/app.js
    url = render_static("js/app.js")
    # then it gets the hashed name, and that file was written
    assert HASHED_APP_JS.fullmatch(url), url
    assert (collected / url.removeprefix("/static/")).exists()
    assert (
        url.removeprefix("/static/")
        == json.loads((collected / "staticfiles.json").read_text())["paths"]["js/app.js"]
    )


def test_static_manifest_served_page_refers_to_hashed_names(collected, page_clients):
    # when a page is rendered with the collected files
    html = page_clients("engineer").get("/").content.decode()
    # then its scripts and styles are the hashed files, not the plain names
    assert HASHED_APP_JS.search(html)
    assert 'src="/static/js/app.js"' not in html
    assert re.search(r'href="/static/css/app\.[0-9a-f]{12}\.css"', html)


def test_static_without_a_collect_names_stay_plain():
    # the other side: development and tests (nothing collected) serve the plain names
    assert render_static("js/app.js") == "/static/js/app.js"


def test_static_image_build_collects_hashed_names(tmp_path):
    # given the Dockerfile's collect, into an empty STATIC_ROOT (no manifest yet)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "STATIC_HASHED=1 DEBUG=1 SECRET_KEY=build-only python manage.py collectstatic" in (
        dockerfile
    )
    env = {"STATIC_HASHED": "1", "DEBUG": "1", "SECRET_KEY": "build-only"}
    collect = run_manage(
        "collectstatic", "--noinput", env_overrides=env | {"STATIC_ROOT": str(tmp_path)}
    )
    assert collect.returncode == 0, collect.stderr
    # when the server starts in production shape on what was collected
    production = {"DEBUG": "0", "SECRET_KEY": "k3y-" + "x7Qz9!rT" * 8, "STATIC_ROOT": str(tmp_path)}
    code = (
        "from django.conf import settings as s; from django.templatetags.static import static; "
        "print(s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS, static('js/app.js'))"
    )
    shown = run_manage("shell", "-c", code, env_overrides=production)
    # then it uses the manifest and names app.js by its hash
    backend, finders, url = shown.stdout.split()[-3:]
    assert backend == MANIFEST_STORAGE
    assert finders == "False"
    assert HASHED_APP_JS.fullmatch(url), shown.stdout + shown.stderr
