"""The load-time cycle contract (tests/support/import_contracts.py) on tiny made-up packages.

`make test` runs `lint-imports` over the real apps; these tests show that the contract of our
own counts what it should: imports that run when a module loads, not those inside a function
or under `if TYPE_CHECKING:`.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.import_contracts import load_time_import_lines, strongly_connected

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """
[importlinter]
root_packages =
    alpha
    beta
contract_types =
    load_time_acyclic: tests.support.import_contracts.LoadTimeAcyclicContract

[importlinter:contract:cycles]
name = No cycle between alpha and beta at load time
type = load_time_acyclic
packages =
    alpha
    beta
"""


def write_package(base: Path, name: str, modules: dict[str, str]) -> None:
    package = base / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(textwrap.dedent(source))


def lint(base: Path) -> subprocess.CompletedProcess:
    (base / ".importlinter").write_text(CONFIG)
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=base,
        env={"PYTHONPATH": f"{base}:{ROOT}", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_load_time_import_lines_skip_functions_and_type_checking(tmp_path, monkeypatch):
    # given a module importing at the top, in a class body, in a function and for mypy only
    write_package(
        tmp_path,
        "gamma",
        {
            "mixed": """\
                from typing import TYPE_CHECKING

                import os

                if TYPE_CHECKING:
                    import json
                else:
                    import csv

                class Thing:
                    import sys

                def later():
                    import re
                    return re
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    # when we ask which import lines run at load time
    lines = load_time_import_lines("gamma.mixed")
    # then the top, the else branch and the class body count; the function and mypy's do not
    assert {1, 3, 8, 11} <= lines
    assert not {6, 14} & lines


def test_strongly_connected_groups_a_cycle_and_leaves_a_chain():
    # given a two-package cycle and a package that only imports
    edges = {("a", "b"), ("b", "a"), ("c", "a")}
    # when the graph is split, then a and b form one group and c stands alone
    groups = strongly_connected(["a", "b", "c"], edges)
    assert sorted(sorted(g) for g in groups) == [["a", "b"], ["c"]]


@pytest.mark.parametrize(
    ("back_import", "kept"),
    [
        ("def later():\n    from alpha import a\n    return a\n", True),
        ("from alpha import a\n", False),
    ],
    ids=["inside-a-function", "at-load-time"],
)
def test_contract_counts_only_load_time_cycles(tmp_path, back_import, kept):
    # given alpha importing beta at load time, and beta importing alpha back
    write_package(tmp_path, "alpha", {"a": "from beta import b\n"})
    write_package(tmp_path, "beta", {"b": back_import})
    # when lint-imports checks the contract
    result = lint(tmp_path)
    # then only a load-time import back makes the cycle, and the report names both sides
    assert (result.returncode == 0) is kept, result.stdout + result.stderr
    if not kept:
        assert "alpha -> beta" in result.stdout
        assert "beta.b -> alpha.a (l.1)" in result.stdout
