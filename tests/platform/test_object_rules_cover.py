"""Every API viewset that accepts a write is tried by an object-rule case.

The test walks the URL configuration under `/api/`, finds the DRF routers of every app and
their registry, and names each viewset `<app>-<basename>` (`changes-change`, `handover-check`;
a basename registered as `changes-change` already is kept as it is). A viewset accepts writes
when it offers create, update, partial_update or destroy, or an `@action` with a method other
than GET, HEAD or OPTIONS. Each of those must be named in the `basenames` of some
`ObjectRuleCase` subclass (tests/support/object_rules.py), so a new endpoint is born checked;
and every name a case gives must be on a router, so a renamed endpoint is not silently left
unchecked.

The cases are collected by importing every `tests/**/test_*.py` module, so this test gives the
same answer run alone or with the whole suite.
"""

import importlib
from pathlib import Path

from django.urls import URLResolver, get_resolver
from rest_framework.routers import BaseRouter

from tests.support.object_rules import ObjectRuleCase

TESTS = Path(__file__).resolve().parents[1]
SAFE = {"get", "head", "options"}
WRITE_ACTIONS = {"create": "post", "update": "put", "partial_update": "patch", "destroy": "delete"}


def api_routers() -> list[tuple[str, BaseRouter]]:
    """(app, router) for every router whose urls sit under /api/."""
    found: list[tuple[str, BaseRouter]] = []
    seen: set[int] = set()

    def walk(patterns, under_api: bool) -> None:
        for pattern in patterns:
            if not isinstance(pattern, URLResolver):
                continue
            inside = under_api or str(pattern.pattern).startswith("api/")
            module = pattern.urlconf_module
            if inside and not isinstance(module, list):
                app = module.__name__.partition(".")[0]
                for value in vars(module).values():
                    if isinstance(value, BaseRouter) and id(value) not in seen:
                        seen.add(id(value))
                        found.append((app, value))
            walk(pattern.url_patterns, inside)

    walk(get_resolver().url_patterns, False)
    return found


def viewset_name(app: str, basename: str) -> str:
    return basename if basename.startswith(f"{app}-") else f"{app}-{basename}"


def writes_of(viewset) -> list[str]:
    """The writes a viewset accepts: its CRUD writes and its unsafe @actions."""
    allowed = {method.lower() for method in viewset.http_method_names}
    writes = [
        name
        for name, method in WRITE_ACTIONS.items()
        if callable(getattr(viewset, name, None)) and method in allowed
    ]
    for action in viewset.get_extra_actions():
        unsafe = sorted(set(action.mapping) - SAFE)
        if unsafe:
            writes.append(f"@{action.url_path}({', '.join(unsafe)})")
    return writes


def routed_viewsets() -> dict[str, list[str]]:
    """Every viewset on an API router -> the writes it accepts (empty: read-only)."""
    viewsets: dict[str, list[str]] = {}
    for app, router in api_routers():
        for _prefix, viewset, basename in router.registry:
            name = viewset_name(app, basename)
            assert name not in viewsets, f"two viewsets are named {name}"
            viewsets[name] = writes_of(viewset)
    return viewsets


def rule_cases() -> list[type[ObjectRuleCase]]:
    """Every ObjectRuleCase subclass defined in a test module."""
    root = TESTS.parent
    for path in sorted(TESTS.rglob("test_*.py")):
        importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
    found: list[type[ObjectRuleCase]] = []
    pending = list(ObjectRuleCase.__subclasses__())
    while pending:
        case = pending.pop()
        found.append(case)
        pending.extend(case.__subclasses__())
    return found


def named_by_cases() -> dict[str, list[str]]:
    """Each basename a case names -> the cases naming it."""
    named: dict[str, list[str]] = {}
    for case in rule_cases():
        for basename in case.basenames:
            named.setdefault(basename, []).append(f"{case.__module__}.{case.__qualname__}")
    return named


def test_router_walk_finds_every_app_router():
    # given the apps that serve an API, when the routers are walked
    apps = {app for app, _router in api_routers()}
    # then each app's router is found, and so are its viewsets
    assert apps >= {"portfolio", "resources", "changes", "handover", "knowledge"}, apps
    assert "changes-change" in routed_viewsets()


def test_every_writable_viewset_has_an_object_rule_case():
    # given every viewset that accepts a write, and the basenames the cases name
    writable = {name: writes for name, writes in routed_viewsets().items() if writes}
    named = named_by_cases()
    # when we look for the viewsets no case names
    unchecked = {name: writes for name, writes in sorted(writable.items()) if name not in named}
    # then there are none
    assert not unchecked, "writable viewsets that no ObjectRuleCase names in `basenames`:\n" + (
        "\n".join(f"  {name}: {', '.join(writes)}" for name, writes in unchecked.items())
    )


def test_every_basename_a_case_names_is_on_a_router():
    # given the viewsets on the routers, and the basenames the cases name
    routed = routed_viewsets()
    named = named_by_cases()
    # when we look for names no router has
    stale = {name: cases for name, cases in sorted(named.items()) if name not in routed}
    # then there are none
    assert not stale, (
        "basenames that no API router registers (names are <app>-<basename>):\n"
        + "\n".join(f"  {name}: named by {', '.join(cases)}" for name, cases in stale.items())
    )
