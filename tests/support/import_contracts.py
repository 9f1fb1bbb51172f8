"""An import-linter contract of our own: no cycle between the apps at module level.

Import-linter's `acyclic_siblings` contract looks for cycles among the children of one parent
package, and counts every import; our apps are top-level packages with no parent, and an
import inside a function body (Django's usual way to reach an app that loads later) runs when
the function is called, not when the module loads. This contract builds the graph of the
named packages from the imports that run while a module loads (module and class bodies; not
function bodies, not `if TYPE_CHECKING:`) and fails on every strongly connected group of two
or more packages, listing the imports in each direction so one side can be cut.

Configured in `pyproject.toml` (`[tool.importlinter]`, `contract_types`).
"""

import ast
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True, order=True)
class LoadTimeImport:
    """One import statement that runs when its module loads."""

    importer: str
    imported: str
    line_number: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (l.{self.line_number})"


class LoadTimeAcyclicContract(Contract):
    """The packages import each other at load time without a cycle."""

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        packages: list[str] = list(self.packages)  # type: ignore[call-overload]
        edges: dict[tuple[str, str], list[LoadTimeImport]] = {}
        for importer in sorted(graph.modules):
            source = importer.partition(".")[0]
            if source not in packages:
                continue
            for imported in graph.find_modules_directly_imported_by(importer):
                target = imported.partition(".")[0]
                if target == source or target not in packages:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    line = detail["line_number"]
                    if line in load_time_import_lines(importer):
                        edges.setdefault((source, target), []).append(
                            LoadTimeImport(importer, imported, line)
                        )
        cycles = [
            sorted(group) for group in strongly_connected(packages, set(edges)) if len(group) > 1
        ]
        found = [
            {
                "packages": group,
                "imports": {
                    pair: sorted(found)
                    for pair, found in sorted(edges.items())
                    if pair[0] in group and pair[1] in group
                },
            }
            for group in cycles
        ]
        return ContractCheck(kept=not found, metadata={"cycles": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(f"Cycle between {', '.join(cycle['packages'])}:")
            output.new_line()
            for (source, target), imports in cycle["imports"].items():
                output.print_error(f"{source} -> {target} ({len(imports)} at load time):")
                for found in imports:
                    output.indent_cursor()
                    output.print_error(f"- {found}", bold=False)
                output.new_line()


def module_path(module: str) -> Path:
    """The source file of a module, found without importing it."""
    root, *parts = module.split(".")
    spec = find_spec(root)
    assert spec and spec.submodule_search_locations, f"{root} is not a package"
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


@cache
def load_time_import_lines(module: str) -> frozenset[int]:
    """The line numbers of the import statements that run when `module` loads."""
    tree = ast.parse(module_path(module).read_text(), filename=str(module_path(module)))
    lines: set[int] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # runs when called
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for orelse in child.orelse:
                    visit(ast.Module(body=[orelse], type_ignores=[]))
                continue  # never runs
            if isinstance(child, ast.Import | ast.ImportFrom):
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
            visit(child)

    visit(tree)
    return frozenset(lines)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def strongly_connected(nodes: list[str], edges: set[tuple[str, str]]) -> list[set[str]]:
    """Tarjan's strongly connected components of a small directed graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for source, target in sorted(edges):
            if source != node:
                continue
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in nodes:
        if node not in index:
            connect(node)
    return groups
