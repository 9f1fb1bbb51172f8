"""What the hostile-input tests try, found from the code rather than listed: every API
route with its model and serializer, every free-text field the API writes, a factory for
every model. A new model, field or endpoint is tried from the day it exists."""

import importlib
import inspect
from dataclasses import dataclass
from datetime import date, datetime

import factory
from django.apps import apps
from django.db import models
from rest_framework import serializers

API_APPS = ("portfolio", "resources", "changes", "handover", "knowledge")
FACTORY_MODULES = (
    "tests.factories",
    "tests.portfolio.factories",
    "tests.resources.factories",
    "tests.changes.factories",
    "tests.handover.factories",
    "tests.knowledge.factories",
)
# Text that is not prose: validated formats and codes chosen from lists.
NOT_FREE_TEXT = (models.EmailField, models.URLField, models.SlugField, models.GenericIPAddressField)


@dataclass(frozen=True)
class Route:
    app: str
    prefix: str
    viewset: type
    model: type[models.Model]

    @property
    def list_url(self) -> str:
        return f"/api/{self.app}/{self.prefix}/"

    def detail_url(self, pk) -> str:
        return f"{self.list_url}{pk}/"

    @property
    def label(self) -> str:
        return f"{self.app}/{self.prefix}"

    def serializer(self) -> serializers.Serializer | None:
        view = self.viewset(action="partial_update", format_kwarg=None, kwargs={})
        try:
            cls = view.get_serializer_class()
        except Exception:  # a class chosen from the request
            cls = getattr(self.viewset, "serializer_class", None)
        return cls() if cls else None

    @property
    def editable(self) -> bool:
        return "partial_update" in dir(self.viewset)


def routes() -> list[Route]:
    found = []
    for app in API_APPS:
        module = importlib.import_module(f"{app}.api.urls")
        for prefix, viewset, _basename in module.router.registry:
            queryset = getattr(viewset, "queryset", None)
            model = queryset.model if queryset is not None else None
            if model is None:
                serializer = getattr(viewset, "serializer_class", None)
                model = getattr(getattr(serializer, "Meta", None), "model", None)
            if model is not None:
                found.append(Route(app, prefix, viewset, model))
    return found


def free_text_fields(model) -> list[str]:
    """The model's prose: CharField and TextField that are not a format or a choice."""
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, NOT_FREE_TEXT)
        and not f.choices
        and f.editable
    ]


def all_free_text_fields() -> dict[str, list[str]]:
    result = {}
    for app in API_APPS:
        for model in apps.get_app_config(app.split(".")[-1]).get_models():
            names = free_text_fields(model)
            if names:
                result[model._meta.label] = names
    # incidents live in handover's package but are an app of their own
    for config in apps.get_app_configs():
        if config.name.startswith("handover.") and config.name not in API_APPS:
            for model in config.get_models():
                names = free_text_fields(model)
                if names:
                    result[model._meta.label] = names
    return result


def writable_text_fields(route: Route) -> list[str]:
    """Free-text model fields the route's serializer writes."""
    serializer = route.serializer()
    if serializer is None:
        return []
    prose = set(free_text_fields(route.model))
    return sorted(
        name
        for name, field in serializer.fields.items()
        if not field.read_only
        and isinstance(field, serializers.CharField)
        and (field.source if field.source != "*" else name) in prose
    )


def writable_fields(route: Route) -> dict[str, serializers.Field]:
    serializer = route.serializer()
    if serializer is None:
        return {}
    return {name: f for name, f in serializer.fields.items() if not f.read_only}


def factories() -> dict[type, type]:
    """model -> the first factory found for it."""
    found: dict[type, type] = {}
    for name in FACTORY_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model:
                found.setdefault(cls._meta.model, cls)
    return found


def date_pairs(fields: dict) -> list[tuple[str, str]]:
    """(start, end) field pairs by name: start_date/end_date, planned_start/planned_end …"""
    pairs = []
    for name in fields:
        for start, end in (("start", "end"), ("starts", "ends"), ("opens", "closes")):
            if start in name.split("_"):
                other = "_".join(end if part == start else part for part in name.split("_"))
                if other in fields:
                    pairs.append((name, other))
    return pairs


def as_input(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
