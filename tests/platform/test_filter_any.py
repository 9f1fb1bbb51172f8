"""Every list's filter bar names its empty choice "Any" (issue 15), not "---------" or
"Unknown": one place, the base FilterSet (itsm_pmo/filters.py). Every FilterSet of the portal
is found from the code, so a filter added later is checked the day it is added."""

import importlib
import re

import pytest
from django.test import RequestFactory

from itsm_pmo.filters import PortalFilterSet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODULES = (
    "portfolio.filtersets",
    "resources.filtersets",
    "changes.filtersets",
    "handover.filtersets",
    "handover.incidents.filtersets",
    "knowledge.filtersets",
)


def filtersets() -> list[type[PortalFilterSet]]:
    for name in MODULES:
        importlib.import_module(name)
    found, todo = [], list(PortalFilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls._meta.model is not None:  # a base of others, never shown itself
            found.append(cls)
        todo += cls.__subclasses__()
    return sorted(set(found), key=lambda c: c.__qualname__)


def test_the_filtersets_are_found():
    names = {cls.__name__ for cls in filtersets()}
    assert {"ProjectFilterSet", "IncidentFilterSet", "ChangeFilterSet"} <= names


@pytest.mark.parametrize("filterset_class", filtersets(), ids=lambda c: c.__name__)
def test_a_filters_empty_choice_reads_any(filterset_class):
    # given the filter bar as a signed-in user first sees it
    request = RequestFactory().get("/")
    request.user = UserFactory(username="root", is_superuser=True)
    queryset = filterset_class._meta.model._default_manager.all()
    html = filterset_class(data={}, queryset=queryset, request=request).form.as_div()
    # then no choice says "---------" or "Unknown", and each empty choice begins with "Any"
    assert "---------" not in html
    assert ">Unknown<" not in html
    empties = re.findall(r'<option value=""[^>]*>([^<]*)</option>', html)
    assert all(label.startswith("Any") for label in empties), empties


def test_a_yes_no_filter_offers_any_yes_and_no_and_keeps_the_choice(page_clients):
    client = page_clients("itsm_manager")
    html = client.get("/incidents/").content.decode()
    select = re.search(r'<select name="major".*?</select>', html, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == ["Any", "Yes", "No"]
    chosen = client.get("/incidents/?major=true").content.decode()
    select = re.search(r'<select name="major".*?</select>', chosen, re.S).group(0)
    assert re.search(r'<option value="true" selected>Yes</option>', select)
