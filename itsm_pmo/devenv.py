"""The embedded default's settings where manage.py finds them: a generated `var/.env`.

`make run` serves the portal with DEBUG on; a newcomer who then types `manage.py
createsuperuser`, `shell` or `seed_demo` in the same folder expects the same settings, not
"SECRET_KEY must be set when DEBUG is off". So `make setup` (and with it `make run`) writes
`var/.env` once, `DEBUG=1` and a random `SECRET_KEY`, and manage.py reads it before Django
starts. `var/` is git-ignored and left out of the container image (`.dockerignore`).

Production still refuses to start without a real key, because the file is only ever read:

- by manage.py, never by the WSGI application (gunicorn), Celery or the tests;
- when the environment sets no `SECRET_KEY` and does not turn `DEBUG` off: an environment
  that says either is not the embedded default (so `DEBUG=0 manage.py check` refuses, as
  before);
- and then a variable the environment sets (not empty) wins over the file's.

Run as `python -m itsm_pmo.devenv [path]` to write the file (nothing happens if it exists).
"""

import os
import secrets
import sys
from collections.abc import MutableMapping
from pathlib import Path

from dotenv import dotenv_values

TRUE = {"1", "true", "yes", "on"}
HEADER = (
    "# Development settings for manage.py in this checkout, written by `make run`.\n"
    "# Never used in production: only manage.py reads it, and only when the environment sets\n"
    "# no SECRET_KEY and does not turn DEBUG off. Delete it to make a new key.\n"
)


def dev_env_path(base_dir: Path) -> Path:
    """Where the file of a checkout whose manage.py is in `base_dir` lives."""
    return base_dir / "var" / ".env"


def write_dev_env(path: Path) -> bool:
    """Write DEBUG=1 and a random SECRET_KEY to `path`, readable by its owner only, unless it
    exists (True when written). The key the development server kept before
    (`var/dev-secret-key`) is reused, so signed-in sessions survive the change."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = path.parent / "dev-secret-key"
    key = kept.read_text().strip() if kept.exists() else ""
    body = f"{HEADER}DEBUG=1\nSECRET_KEY={key or secrets.token_urlsafe(50)}\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(body)
    return True


def read_dev_env(path: Path) -> dict[str, str]:
    """The file's `NAME=value` settings, read by python-dotenv (quotes, comments, exports)."""
    return {name: value for name, value in dotenv_values(path).items() if value is not None}


def load_dev_env(path: Path, environ: MutableMapping[str, str] = os.environ) -> bool:
    """Add the file's settings to `environ` for the embedded default (see the module's
    rules); True when it was read."""
    debug = environ.get("DEBUG", "").strip().lower()
    debug_off = debug != "" and debug not in TRUE  # as itsm_pmo.env.env_bool reads it
    if environ.get("SECRET_KEY") or debug_off or not path.is_file():
        return False
    for name, value in read_dev_env(path).items():
        if not environ.get(name):  # empty counts as unset, as settings read it
            environ[name] = value
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else dev_env_path(Path.cwd())
    if write_dev_env(target):
        print(f"Wrote {target}: DEBUG=1 and a new SECRET_KEY for manage.py (development only).")
