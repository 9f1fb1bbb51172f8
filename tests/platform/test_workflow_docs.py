"""The workflow docs are the move tables, printed: they cannot drift from the code."""

from pathlib import Path

from django.conf import settings

from itsm_pmo.workflow_docs import load_tables, render

WORKFLOWS = {
    "project",
    "change",
    "handover",
    "incident",
    "major incident",
    "problem",
    "lesson",
    "article",
}


def test_workflow_docs_match_the_move_tables():
    # given the docs in the repository and the tables in the code
    written = (Path(settings.BASE_DIR) / "docs" / "workflows.md").read_text()
    # when the tables are printed, then the file says the same
    assert written == render(), "run `manage.py workflow_docs` and commit docs/workflows.md"


def test_every_workflow_has_one_move_table():
    # given every app's workflow module loaded
    nouns = [table.noun for table in load_tables()]
    # then each workflow declares exactly one table
    assert sorted(nouns) == sorted(WORKFLOWS)
