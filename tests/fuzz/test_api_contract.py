"""The API keeps its own contract: schemathesis over every operation of the schema, as each role.

Cases are generated from `/api/schema/` (so a new endpoint is fuzzed the day it is added) and
sent in-process to the WSGI application, inside the test's transaction: whatever the run
writes is rolled back. Each role runs the examples, coverage and fuzzing phases with a fixed
budget per operation, then the stateful phase (links inferred from the schema: a POST's id
feeds the GET, PATCH and actions of the same path). Hypothesis is derandomized and does not
shrink, so a run is the same run every time and its length is bounded.

Checks: no server error, every status documented, every body and content type as the schema
says, and no operation that needs a login answers without one. A failure lists every
operation that failed, with the request that failed it.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from itsm_pmo.tokens import issue_token

from .seed import seed_api_rows

ROLES = ["engineer", "pmo_lead", "itsm_manager", "executive", "anonymous"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    ignored_auth,
]
EXAMPLES_PER_OPERATION = 5
STATEFUL_RUNS, STATEFUL_STEPS = 4, 25  # 100 steps a role over the ~540 inferred links

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


@contextmanager
def _connection_kept():
    """Requests to the WSGI app on this thread's connection, which must stay open: Django
    closes it at each request's start and end (a closed one would end the test's
    transaction). Django's test client does the same around its own requests, and connects
    the handler again after each, so this is done around every request sent here."""
    handlers = (signals.request_started, signals.request_finished)
    for signal in handlers:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in handlers:
            signal.connect(close_old_connections)


@pytest.fixture
def seeded(role_user, in_process_tasks):
    users = {role: role_user(role) for role in ROLES if role != "anonymous"}
    seed_api_rows(users)
    return users


def _load_schema(users, app):
    client = APIClient()
    client.force_authenticate(users["pmo_lead"])
    raw = client.get("/api/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    schema.config.generation.update(
        modes=["positive", "negative"],
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
        no_shrink=True,
    )
    return schema


def _ids_by_collection(schema, users) -> dict[str, list[int]]:
    """The ids each list answers (as the PMO lead), keyed by the list's path."""
    client = APIClient()
    client.force_authenticate(users["pmo_lead"])
    found: dict[str, list[int]] = {}
    for path in schema.raw_schema["paths"]:
        if "{" in path:
            continue
        response = client.get(path, {"page_size": 20, "state": "all"})
        body = response.json() if response.status_code == 200 else None
        rows = body.get("results") if isinstance(body, dict) else body
        if isinstance(rows, list):
            found[path] = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
    return found


def _path_ids_hook(schema, ids: dict[str, list[int]]) -> None:
    """`{id}` drawn mostly from the rows that exist (and sometimes 0, which never does)."""

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters or "id" not in path_parameters or context.operation is None:
            return st.just(path_parameters)
        collection = context.operation.path.split("{id}")[0]
        known = ids.get(collection) or []
        choices = st.sampled_from([*known, 0]) if known else st.just(0)
        return choices.map(lambda value: {**path_parameters, "id": value})


def _settings() -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )


class Run:
    """What one role's run sent and what failed, by operation."""

    def __init__(self, headers: dict[str, str]):
        self.headers = headers
        self.phase = "operations"
        self.requests: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.failures: dict[str, str] = {}

    def call(self, case):
        self.requests[self.phase] += 1
        # One savepoint a request, as autocommit gives in production: a refused write (an
        # IntegrityError answered 409) spoils only its own statement, not the test's transaction.
        with _connection_kept():
            with transaction.atomic():
                response = case.call(headers=self.headers)
            # `ignored_auth` sends requests of its own (without and with bad credentials).
            with transaction.atomic():
                case.validate_response(response, checks=CHECKS, headers=self.headers)
        self.statuses[response.status_code] += 1
        return response

    def report(self) -> str:
        return "\n\n".join(f"{label}\n{text}" for label, text in sorted(self.failures.items()))


def _fuzz_operations(schema, run: Run) -> None:
    config = HypothesisTestConfig(
        project=schema.config,
        modes=[HypothesisTestMode.EXAMPLES, HypothesisTestMode.FUZZING],
        settings=_settings(),
    )
    for result in schema.get_all_operations():
        operation = result.ok()

        def test(case):
            run.call(case)

        try:
            create_test(operation=operation, test_func=test, config=config)()
        except (Exception, BaseExceptionGroup) as exc:  # all its failures, reported together
            run.failures[operation.label] = str(exc)[:1500]


def _fuzz_stateful(schema, run: Run) -> None:
    run.phase = "stateful"
    machine = schema.as_state_machine()

    class Stateful(machine):  # type: ignore[misc, valid-type]
        def call(self, case, **kwargs):
            return run.call(case)

        def validate_response(self, response, case, **kwargs):
            return None  # validated in `call`

    try:
        hypothesis.stateful.run_state_machine_as_test(
            Stateful,
            settings=hypothesis.settings(
                _settings(), max_examples=STATEFUL_RUNS, stateful_step_count=STATEFUL_STEPS
            ),
        )
    except (Exception, BaseExceptionGroup) as exc:
        run.failures["stateful"] = str(exc)[:3000]


@pytest.mark.parametrize("role", ROLES)
def test_api_keeps_its_contract(role, seeded, capsys):
    # given the schema, a few rows of every kind and the role's credentials
    schema = _load_schema(seeded, get_wsgi_application())
    _path_ids_hook(schema, _ids_by_collection(schema, seeded))
    headers = {} if role == "anonymous" else {"Authorization": f"Token {issue_token(seeded[role])}"}
    run = Run(headers)
    started = time.monotonic()
    # when every operation is fuzzed, then the stateful phase runs
    _fuzz_operations(schema, run)
    if role != "anonymous":  # every answer is a 401: no link has anything to follow
        _fuzz_stateful(schema, run)
    # then
    with capsys.disabled():
        print(
            f"\n[{role}] {run.requests['operations']} + {run.requests['stateful']} stateful "
            f"requests in {time.monotonic() - started:.1f} s, "
            f"statuses {dict(sorted(run.statuses.items()))}, {len(run.failures)} failing"
        )
    assert not run.failures, run.report()
