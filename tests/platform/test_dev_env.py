"""After `make run`, manage.py works in that folder without extra variables (a generated,
git-ignored var/.env), while production still refuses to start without a real key.

The subprocess tests run a copy of manage.py in a temporary folder, with the project on
PYTHONPATH and an environment holding nothing else: what a newcomer's shell has."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from itsm_pmo.devenv import dev_env_path, load_dev_env, read_dev_env, write_dev_env

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = "SECRET_KEY must be set when DEBUG is off"
SHOW = "from django.conf import settings as s; print('DEBUG', s.DEBUG, 'KEY', s.SECRET_KEY)"


@pytest.fixture
def checkout(tmp_path):
    """A folder with manage.py in it, as a checkout has, and no var/.env yet."""
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    return tmp_path


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "HOME": str(home), **extra}


def run(folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env=clean_env(folder, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def generate(folder: Path) -> Path:
    """The step `make setup` (and so `make run`) takes."""
    result = run(folder, "-m", "itsm_pmo.devenv", "var/.env")
    assert result.returncode == 0, result.stderr
    return folder / "var" / ".env"


def test_manage_py_works_without_variables_after_the_generation_step(checkout):
    # given the step make run takes
    env_file = generate(checkout)
    key = read_dev_env(env_file)["SECRET_KEY"]
    # when manage.py runs with a clean environment
    check = run(checkout, "manage.py", "check")
    shown = run(checkout, "manage.py", "shell", "-c", SHOW)
    # then it starts, with the development settings of the file
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout
    assert f"DEBUG True KEY {key}" in shown.stdout, shown.stderr


def test_manage_py_without_the_file_and_debug_off_still_refuses(checkout):
    # given no var/.env (a production host, a fresh checkout before make run)
    result = run(checkout, "manage.py", "check")
    assert result.returncode != 0 and REFUSAL in result.stderr


def test_manage_py_reads_the_file_only_for_the_embedded_default(checkout):
    generate(checkout)
    # an environment that turns DEBUG off is not the embedded default: no key, refused
    off = run(checkout, "manage.py", "check", DEBUG="0")
    assert off.returncode != 0 and REFUSAL in off.stderr
    # one that sets a key is production's: the file is not read, DEBUG stays off
    real = run(checkout, "manage.py", "shell", "-c", SHOW, SECRET_KEY="k" * 60)
    assert f"DEBUG False KEY {'k' * 60}" in real.stdout, real.stderr
    # DEBUG=1 alone (as make run serves) takes the file's key, so the server and the
    # commands sign with one key
    key = read_dev_env(checkout / "var" / ".env")["SECRET_KEY"]
    served = run(checkout, "manage.py", "shell", "-c", SHOW, DEBUG="1")
    assert f"DEBUG True KEY {key}" in served.stdout, served.stderr


def test_production_entry_point_never_reads_the_file(checkout):
    # given the file in the working folder, gunicorn's module refuses without a real key
    generate(checkout)
    result = run(checkout, "-c", "import itsm_pmo.wsgi")
    assert result.returncode != 0 and REFUSAL in result.stderr


def test_generation_writes_once_for_the_owner_and_keeps_the_servers_key(tmp_path):
    # given the key the development server kept before
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "dev-secret-key").write_text("kept-key\n")
    path = dev_env_path(tmp_path)
    # when written twice
    assert write_dev_env(path) is True
    first = path.read_text()
    assert write_dev_env(path) is False
    # then once, readable by its owner only, with that key
    assert path.read_text() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_dev_env(path) == {"DEBUG": "1", "SECRET_KEY": "kept-key"}
    # and a fresh folder gets a new random key
    other = dev_env_path(tmp_path / "other")
    write_dev_env(other)
    assert len(read_dev_env(other)["SECRET_KEY"]) >= 50


@pytest.mark.parametrize(
    ("environ", "read", "after"),
    [
        ({}, True, {"DEBUG": "1", "SECRET_KEY": "file-key"}),
        ({"DEBUG": "1"}, True, {"DEBUG": "1", "SECRET_KEY": "file-key"}),
        ({"DEBUG": "", "SECRET_KEY": ""}, True, {"DEBUG": "1", "SECRET_KEY": "file-key"}),
        (
            {"ALLOWED_HOSTS": "a.example"},
            True,
            {"ALLOWED_HOSTS": "a.example", "DEBUG": "1", "SECRET_KEY": "file-key"},
        ),
        ({"DEBUG": "0"}, False, {"DEBUG": "0"}),
        ({"DEBUG": "no"}, False, {"DEBUG": "no"}),
        ({"SECRET_KEY": "real"}, False, {"SECRET_KEY": "real"}),
    ],
)
def test_load_rules(tmp_path, environ, read, after):
    path = tmp_path / ".env"
    path.write_text("# a comment\n\nDEBUG=1\nSECRET_KEY=file-key\n")
    environ = dict(environ)
    assert load_dev_env(path, environ) is read
    assert environ == after


def test_load_without_the_file_changes_nothing(tmp_path):
    environ: dict[str, str] = {}
    assert load_dev_env(tmp_path / "missing", environ) is False and environ == {}


def test_make_run_generates_it_and_neither_git_nor_the_image_carries_it():
    makefile = (ROOT / "Makefile").read_text()
    setup = makefile[makefile.index("\nsetup: deps") :].split("\n\n")[0]
    assert "$(PY) -m itsm_pmo.devenv var/.env" in setup
    assert "run: setup" in makefile
    assert "var/" in (ROOT / ".gitignore").read_text().split()
    assert "var" in (ROOT / ".dockerignore").read_text().split()
