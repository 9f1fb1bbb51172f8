"""Out-of-order dates, negative hours, unknown filters and ordering fields (issue 14): a
400 or ignored by rule, never a 500, and a refused edit leaves the row as it was. Fields and
routes found from the serializers (tests/hostile/discovery.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from .discovery import date_pairs, factories, routes, writable_fields
from .test_hostile_text import editor_for

pytestmark = pytest.mark.django_db


def routes_with(pick):
    made = factories()
    return [r for r in routes() if r.editable and r.model in made and pick(writable_fields(r))]


def hours_fields(fields):
    return [
        name
        for name, f in fields.items()
        if "hours" in name.split("_")
        and isinstance(
            f, serializers.DecimalField | serializers.IntegerField | serializers.FloatField
        )
    ]


def row(route, pk, names):
    obj = route.model.objects.get(pk=pk)
    return {name: getattr(obj, writable_fields(route)[name].source or name) for name in names}


@pytest.mark.parametrize("route", routes_with(date_pairs), ids=lambda r: r.label)
def test_an_end_before_its_start_is_a_400_and_changes_nothing(route):
    obj = factories()[route.model]()
    fields = writable_fields(route)
    client = editor_for(route, obj)
    if client is None:
        pytest.skip(f"no role may PATCH {route.label}")
    for start, end in date_pairs(fields):
        later = timezone.now() + timedelta(days=40)
        if isinstance(fields[start], serializers.DateTimeField):
            values = {start: later.isoformat(), end: (later - timedelta(days=10)).isoformat()}
        else:
            values = {start: str(later.date()), end: str(later.date() - timedelta(days=10))}
        before = row(route, obj.pk, [start, end])
        answer = client.patch(route.detail_url(obj.pk), values, format="json")
        assert answer.status_code == 400, (route.label, start, end, answer.status_code)
        assert row(route, obj.pk, [start, end]) == before


@pytest.mark.parametrize("route", routes_with(hours_fields), ids=lambda r: r.label)
def test_negative_hours_are_a_400_and_change_nothing(route):
    obj = factories()[route.model]()
    client = editor_for(route, obj)
    if client is None:
        pytest.skip(f"no role may PATCH {route.label}")
    for name in hours_fields(writable_fields(route)):
        before = row(route, obj.pk, [name])
        answer = client.patch(route.detail_url(obj.pk), {name: "-1"}, format="json")
        assert answer.status_code == 400, (route.label, name, answer.status_code)
        assert name in answer.json()["fields"]
        assert row(route, obj.pk, [name]) == before


UNKNOWN = [
    {"no_such_filter": "1"},
    {"ordering": "no_such_field"},
    {"ordering": "-no_such_field,__class__"},
    {"ordering": "password"},
    {"search": "'; DROP TABLE x;--"},
]


@pytest.mark.parametrize("route", routes(), ids=lambda r: r.label)
def test_unknown_filters_and_ordering_are_ignored_or_refused_never_a_500(route, api_clients):
    factories().get(route.model, lambda: None)()
    client = api_clients("pmo_lead")
    for query in UNKNOWN:
        answer = client.get(route.list_url, query)
        assert answer.status_code in (200, 400), (route.label, query, answer.status_code)
        if answer.status_code == 400:
            assert answer.json()["status"] == 400
