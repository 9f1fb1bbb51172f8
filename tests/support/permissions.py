"""The permission matrix: one request as anonymous and as each role, expected statuses in a line.

    assert_matrix(clients, "post", "/api/resources/teams/", {"name": "X"},
                  anonymous=401, pmo_lead=201, itsm_manager=403, engineer=403, executive=403)

Each role gets a fresh client, so a write by one role does not change what the next sees
beyond what the database keeps (pass `fresh=` to rebuild data between roles).
"""

from collections.abc import Callable

ROLES = ("anonymous", "pmo_lead", "itsm_manager", "engineer", "executive")


def assert_matrix(
    clients: Callable,
    method: str,
    url: str,
    data=None,
    *,
    fresh: Callable | None = None,
    **expected: int,
) -> None:
    missing = [role for role in ROLES if role not in expected]
    assert not missing, f"the matrix must state every role; missing {missing}"
    actual = {}
    for role in ROLES:
        target = fresh() if fresh else url
        client = clients(role)
        kwargs = {"format": "json"} if hasattr(client, "credentials") and data is not None else {}
        response = (
            getattr(client, method)(target, data, **kwargs)
            if data is not None
            else getattr(client, method)(target)
        )
        actual[role] = response.status_code
    assert actual == {role: expected[role] for role in ROLES}, (
        f"{method.upper()} {url}: expected {expected}, got {actual}"
    )
