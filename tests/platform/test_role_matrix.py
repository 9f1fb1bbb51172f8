"""The role matrix: every page and API operation, as every user, against the expected-status
table in tests/platform/role_matrix.py.

The endpoints are generated from the URL configuration and the API schema
(role_matrix_support.py), so a page or an endpoint added later is checked from the day it
exists: without a row in the table it fails here, with the row to add. One test sends every
request (the data is seeded once; each unsafe request runs in a savepoint rolled back after
it, so every request meets the same rows and the same signed-in session).
"""

import copy
import time

from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from tests.factories import UserFactory

from . import role_matrix_support as support
from .role_matrix import ADMIN, expected, row

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def test_role_matrix_table_has_a_row_for_every_endpoint_and_no_other():
    # given the endpoints the URL configuration and the schema have
    found = {(e.method, e.key) for e in support.endpoints()} | {("GET", ADMIN)}
    # when compared with the table
    rows = set(expected())
    # then each has its row, and each row its endpoint
    missing = sorted(found - rows)
    assert not missing, (
        f"{len(missing)} page(s) or API operation(s) have no row in tests/platform/role_matrix.py."
        " Run tests/platform/test_role_matrix.py: it prints each row to add with the statuses"
        " the endpoint answered; check them against the rules, then paste them:\n"
        + "\n".join(f"  {method} {key}" for method, key in missing)
    )
    stale = sorted(rows - found)
    assert not stale, "rows for endpoints that no longer exist (remove them):\n" + "\n".join(
        f"  {method} {key}" for method, key in stale
    )


def _clients(users: dict) -> dict:
    clients = {}
    for name in support.USERS:
        client = APIClient()
        client.raise_request_exception = False  # a 500 is an answer to report, not a crash
        if name != "anonymous":
            # forced even for the inactive user: the session exists, the user must not count
            client.force_login(users[name], backend=MODEL_BACKEND)
        clients[name] = client
    return clients


def _send(client, endpoint, url: str, body) -> int:
    method = endpoint.method.lower()
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if body is None:
            response = getattr(client, method)(url)
        elif endpoint.key.startswith("/"):
            response = getattr(client, method)(url, body, format="json")
        else:
            response = getattr(client, method)(url, body)
        transaction.set_rollback(True)
    if body is not None:
        # What the request wrote is gone; so must be what it left in the cache (pages kept,
        # sessions) and in the client (a sign-out's new cookie).
        cache.clear()
        client.cookies = cookies
    return response.status_code


def test_role_matrix_every_endpoint_as_every_user(db):
    # given one of every object a pattern's id can name, and a client per user
    users, objects = support.seed()
    clients = _clients(users)
    admin = APIClient()
    admin.force_login(UserFactory(username="matrix_root", is_staff=True, is_superuser=True))
    representations = support.representations(admin, objects)
    table = expected()
    started, sent = time.monotonic(), 0
    mismatches, missing, unresolved = [], [], []

    # when every page and API operation is sent as every user
    for endpoint in support.endpoints():
        try:
            url = support.url_for(endpoint, objects)
        except support.MissingIds as exc:
            unresolved.append(str(exc))
            continue
        body = support.body_for(endpoint, objects, representations)
        answered = {}
        for name in support.USERS:
            answered[name] = _send(clients[name], endpoint, url, body)
            sent += 1
        want = table.get((endpoint.method, endpoint.key))
        if want is None:
            missing.append(row(endpoint.method, endpoint.key, answered))
            continue
        wrong = {u: s for u, s in answered.items() if s not in want[u]}
        if wrong:
            mismatches.append(
                f"{endpoint.method} {endpoint.key} ({url}): "
                + ", ".join(
                    f"{u} {s} (table: {'/'.join(map(str, sorted(want[u])))})"
                    for u, s in wrong.items()
                )
            )

    # and every admin page
    admin_want = table.get(("GET", ADMIN))
    for url in support.admin_urls():
        for name in support.USERS:
            response = clients[name].get(url)
            sent += 1
            if admin_want is None or response.status_code not in admin_want[name]:
                mismatches.append(f"GET {url} (admin): {name} {response.status_code}")
            elif response.status_code == 302 and not response["Location"].startswith(
                ("/admin/login/", "/accounts/login/")  # the admin's sign-in, or the portal's
            ):
                mismatches.append(f"GET {url} (admin): {name} sent to {response['Location']}")

    elapsed = time.monotonic() - started
    print(f"\nrole matrix: {sent} requests in {elapsed:.1f} s")

    # then every answer is the table's
    assert not unresolved, "patterns whose ids the matrix cannot fill:\n" + "\n".join(unresolved)
    assert not missing, (
        "no row in tests/platform/role_matrix.py for these; check each status against the"
        " rules, then add the line to TABLE:\n" + "\n".join(missing)
    )
    assert not mismatches, f"{len(mismatches)} answer(s) differ from the table:\n" + "\n".join(
        mismatches
    )


def test_role_matrix_inactive_user_is_answered_as_anonymous():
    # given the table (checked against the answers by the test above)
    rows = expected()
    # then a deactivated user with a live session is treated as signed out everywhere
    differ = [key for key, cells in rows.items() if cells["inactive"] != cells["anonymous"]]
    assert not differ, f"the inactive user is answered unlike anonymous at {differ}"
    # and is never let in
    # and is served only the health check and the sign-in form (PUT is the form's POST)
    served = {key for key, cells in rows.items() if cells["anonymous"] & {200, 201, 202, 204}}
    assert served == {("GET", "healthz"), ("GET", "login"), ("POST", "login"), ("PUT", "login")}
