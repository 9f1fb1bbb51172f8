"""docs/workflows.md, printed from the move tables themselves, so the docs cannot drift."""

import importlib

from django.apps import apps

from .workflow import TABLES, MoveTable

# Where the apps keep their move tables: `<app>.workflow` and a discipline's sub-package.
WORKFLOW_MODULES = ("workflow", "incidents.workflow", "incidents.major.workflow")
# The order the docs follow: the life of a piece of work; any other workflow after, by name.
ORDER = ("project", "change", "handover", "incident", "problem", "lesson", "article")


def load_tables() -> list[MoveTable]:
    """Import every app's workflow module; each MoveTable registers itself as it is built."""
    for config in apps.get_app_configs():
        for name in WORKFLOW_MODULES:
            module = f"{config.name}.{name}"
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if not module.startswith(str(exc.name)):
                    raise
    return sorted(
        TABLES, key=lambda t: (ORDER.index(t.noun) if t.noun in ORDER else len(ORDER), t.noun)
    )


def render() -> str:
    """Markdown: one section per workflow, one row per move."""
    lines = [
        "# Workflows",
        "",
        "Printed by `manage.py workflow_docs` from the move tables in each app's `workflow.py`;",
        "a test fails when this file and the tables differ. A move not listed is refused (409);",
        "a move listed is made by holders of its permission (otherwise 403) once its checks",
        "pass (otherwise 409 with the reasons and the moves allowed now).",
    ]
    for table in load_tables():
        lines += [
            "",
            f"## {table.noun.capitalize()}",
            "",
            "| from | to | button | permission | comment | checks |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in table.as_rows():
            checks = ", ".join(f"`{name}`" for name in row["checks"].split(", ") if name)
            lines.append(
                f"| {row['from']} | {row['to']} | {row['label']} | `{row['permission']}` "
                f"| {row['comment']} | {checks} |"
            )
    return "\n".join(lines) + "\n"
