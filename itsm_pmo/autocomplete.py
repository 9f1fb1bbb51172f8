"""Search-as-you-type for a filter whose choices run to hundreds (projects, people).

A filter bar that listed every project and every person as `<option>`s weighed 140 kB at
enterprise size. An `AutocompleteFilter` renders its `<select>` with the chosen value only,
beside a search box; typing asks the list's own options endpoint (`options_view`) for the
first matches, which htmx swaps into the `<select>`. The value still travels in the query
string (`?project=12`) and the same FilterSet filters the page and the API:

    class IncidentFilterSet(PortalFilterSet):
        project = AutocompleteFilter(
            queryset=projects(), search_fields=("code", "name"), url_name="incidents:filter_options"
        )

    # urls.py
    path("filter-options/<str:field>/", options_view(IncidentFilterSet, "handover.view_incident"),
         name="filter_options")
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

# Matches one answer offers: enough to pick from, few enough to read.
MAX_OPTIONS = 20


class AutocompleteSelect(forms.Select):
    """A `<select>` holding only the chosen option, with a search box that fetches matches."""

    def __init__(self, *, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        picked = [v for v in value if v not in ("", None)]
        kept: list = [("", getattr(iterator.field, "empty_label", None) or "Any")]
        if picked:
            try:
                kept += [iterator.choice(obj) for obj in iterator.queryset.filter(pk__in=picked)]
            except (ValueError, TypeError, ValidationError):
                pass  # a value that is no id: the form reports it, the select shows none
        everything, self.choices = self.choices, kept
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        url = reverse(self.url_name, kwargs={"field": name})
        return format_html(
            '<div class="autocomplete" data-autocomplete>'
            '<input type="search" class="form-control form-control-sm mb-1" autocomplete="off"'
            ' placeholder="Type to find…" aria-label="Find {}" data-autocomplete-term'
            ' hx-get="{}" hx-trigger="input changed delay:250ms, search"'
            ' hx-target="next select" hx-swap="innerHTML" hx-sync="this:replace">{}</div>',
            name.replace("_", " "),
            url,
            select,
        )


class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter chosen by search-as-you-type over `search_fields` (icontains)."""

    def __init__(self, *args, search_fields: tuple[str, ...], url_name: str, **kwargs):
        kwargs.setdefault("widget", AutocompleteSelect(url_name=url_name))
        kwargs.setdefault("empty_label", "Any")
        super().__init__(*args, **kwargs)
        self.search_fields = search_fields


def matches(filter_: AutocompleteFilter, request, term: str) -> tuple[list, bool]:
    """The first options of the filter's own queryset matching `term`, and whether there are
    more."""
    queryset = filter_.get_queryset(request)
    if term:
        queryset = queryset.filter(
            reduce(or_, (Q(**{f"{f}__icontains": term}) for f in filter_.search_fields))
        )
    found = list(queryset.order_by(*filter_.search_fields, "pk")[: MAX_OPTIONS + 1])
    return found[:MAX_OPTIONS], len(found) > MAX_OPTIONS


def options_view(filterset_class, permission: str, *, extra: dict | None = None):
    """The options endpoint of one FilterSet: `?term=` answers `<option>`s for its field.
    `extra` names more searches (an `AutocompleteFilter` each) for the forms of the same
    pages, e.g. the problem an incident is grouped under."""
    searches = {**(extra or {})}

    @require_safe
    @permission_required(permission, raise_exception=True)
    def view(request, field: str):
        filter_ = searches.get(field) or filterset_class.base_filters.get(field)
        if not isinstance(filter_, AutocompleteFilter):
            raise Http404("No such search.")
        term = request.GET.get("term", "").strip()[:100]
        found, more = matches(filter_, request, term)
        # Typing then Enter filters by the best match: it comes selected.
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((obj.pk, " selected" if term and n == 0 else "", obj) for n, obj in enumerate(found)),
        )
        empty = format_html(
            '<option value="">{}</option>',
            filter_.extra["empty_label"] if found or not term else f"Nothing matches “{term}”",
        )
        tail = (
            format_html('<option value="" disabled>{}</option>', "More match: type more to narrow")
            if more
            else ""
        )
        return HttpResponse(empty + options + tail)

    return view
