"""mypy, as `make test` runs it, refuses a service whose acting user has no type.

The configuration (`[tool.mypy]` in pyproject.toml) reads the apps whole but reports errors
only in modules named services, selectors or permissions (any depth), the move-table type and
the engine. This runs mypy with that configuration on a made-up app, so loosening the
configuration (a flag dropped, a pattern lost) fails here rather than going unnoticed.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVICES = """\
    from itsm_pmo.permissions import Actor


    def thing_close(*, thing: int, by: Actor) -> None:
        \"\"\"Typed: passes.\"\"\"


    def thing_approve(*, thing: int, by) -> None:
        \"\"\"The acting user untyped: refused.\"\"\"
"""


def mypy(*paths: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MYPYPATH": str(ROOT), "HTTPS": "0", "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "typing-probe-not-secret")
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    return subprocess.run(
        [*command, *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def probe_app(base: Path) -> Path:
    """A made-up app with the same services in a module and a sub-package's module."""
    for package in (base / "probe", base / "probe" / "sub"):
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "services.py").write_text(textwrap.dedent(SERVICES))
    (base / "probe" / "views.py").write_text(textwrap.dedent(SERVICES))
    return base / "probe"


def test_mypy_refuses_an_untyped_acting_user(tmp_path):
    # given services with an untyped acting user, in an app and in its sub-package, and a view
    app = probe_app(tmp_path)
    # when mypy checks them with the project's configuration
    result = mypy(app / "services.py", app / "sub" / "services.py", app / "views.py")
    # then both services are refused at the untyped function, and the view is not checked
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(line.split(":")[0].rpartition("probe")[2] for line in errors) == [
        "/services.py",
        "/sub/services.py",
    ], errors
    untyped = (
        textwrap.dedent(SERVICES)
        .splitlines()
        .index("def thing_approve(*, thing: int, by) -> None:")
    )
    assert all(f":{untyped + 1}: error: Function is missing a type annotation" in e for e in errors)
