"""API plumbing shared by every app: pagination and one error body for every 4xx.

Every error answers
    {"status": 400, "code": "invalid", "detail": "…", "fields": {"name": ["reason"]}}
where `fields` appears for input errors and an error may add keys of its own
(a refused transition adds "allowed": [...]).
"""

import copy
import math
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import timezone
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator
from rest_framework.views import exception_handler as drf_exception_handler

from .deletion import refusal_of_protected
from .throttles import AnonThrottle
from .versioning import StaleVersion
from .workflow import TransitionRefused


class Pagination(PageNumberPagination):
    """`page` and `page_size` (up to 500); results under `results`. A `page_size` that is
    not a whole number from 1 is a 400 naming it (DRF would fall back to the default)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        if not raw.isdecimal() or int(raw) < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            # The schema says what the server accepts: whole numbers from 1.
            parameter["schema"]["minimum"] = 1
        return parameters


class UtcDateTimeField(serializers.DateTimeField):
    """A date-time answered in UTC, RFC 3339 (`2026-06-01T08:30:00Z`), whatever the local
    time zone: a local rendering carries the zone's offsets of the day, historical ones
    included (London before 1847 is -00:01:15, which no RFC 3339 parser reads). Input is
    read as before (an offset is honoured; a naive time is local)."""

    def to_representation(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


class DatesInOrder:
    """Serializer mixin: `end_date` may not be before `start_date` (either may be partial)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise exceptions.ValidationError({"end_date": "The end date is before the start date."})
        return attrs


class SaysWhichDuplicate:
    """ModelSerializer mixin for a model with `itsm_pmo.duplicates.ExplainsDuplicates`: the
    model checks the values given for uniqueness before the save, so a duplicate is a 400 on
    its field in the model's words ("A project with code PRJ-0101 already exists."), whether
    the viewset saves or a service does (DRF's own check, in other words, is taken out)."""

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        instance = getattr(self, "instance", None)
        candidate = copy.copy(instance) if instance is not None else model()
        given = set()
        for field in model._meta.concrete_fields:
            if field.name in attrs:
                value = attrs[field.name]
                if field.is_relation:
                    value = getattr(value, "pk", value)
                setattr(candidate, field.attname, value)
                given.add(field.name)
        others = {f.name for f in model._meta.concrete_fields} - given
        try:
            candidate.validate_unique(exclude=others)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        if errors := candidate.duplicate_name_errors(exclude=others):
            raise exceptions.ValidationError(DjangoValidationError(errors).message_dict)
        return attrs


class Conflict(exceptions.APIException):
    """409: the request is valid but the object's state does not allow it now."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **extra):
        super().__init__(detail, code)
        self.extra = extra


class PreconditionFailed(exceptions.APIException):
    """412: the `If-Match` version is no longer the object's; nothing was saved."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since the version you sent."
    default_code = "stale_version"

    def __init__(self, detail=None, code=None, **extra):
        super().__init__(detail, code)
        self.extra = extra


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value) -> list:
    if isinstance(value, list | tuple):
        flat = []
        for item in value:
            flat.extend(_messages(item) if isinstance(item, list | tuple) else [item])
        return [str(m) for m in flat]
    if isinstance(value, dict):
        return [f"{k}: {', '.join(_messages(v))}" for k, v in value.items()]
    return [str(value)]


def error_body(status_code: int, code: str, detail: str, **extra) -> dict:
    return {"status": status_code, "code": code, "detail": detail, **extra}


def exception_handler(exc, context):
    """DRF's handler, reshaped so every 4xx has the same body."""
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, ProtectedError):
        detail, referenced_by = refusal_of_protected(exc)
        exc = Conflict(detail, code="protected", referenced_by=referenced_by)
    elif isinstance(exc, StaleVersion):
        exc = PreconditionFailed(exc.detail, current_version=exc.current)
    elif isinstance(exc, IntegrityError):
        exc = Conflict("That would break a uniqueness or integrity rule.", code="integrity")
    elif isinstance(exc, TransitionRefused):
        exc = Conflict(
            exc.detail, code="transition_not_allowed", current=exc.current, allowed=exc.allowed
        )
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        exc = _refusal_counted(exc, context)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # The wait in the body too, for clients that do not read headers.
        exc.extra = {"retry_after": math.ceil(exc.wait)}

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            response.status_code,
            "invalid",
            "Some fields are not valid.",
            fields=_field_errors(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = error_body(
            response.status_code,
            code if isinstance(code, str) else "error",
            str(detail),
            **getattr(exc, "extra", {}),
        )
    return Response(body, status=response.status_code, headers=_auth_headers(response))


def _refusal_counted(exc, context):
    """An anonymous request is refused (401) before DRF would check its rate, so the refusal
    counts against the address's `anon` rate here: guessing tokens from one address, or
    hammering the API without credentials, ends in 429 like any other excess."""
    request = context.get("request")
    throttle = AnonThrottle()
    if request is None or throttle.allow_request(request, context.get("view")):
        return exc
    return exceptions.Throttled(throttle.wait())


def _auth_headers(response) -> dict:
    keep = ("WWW-Authenticate", "Retry-After", "Allow")
    return {name: response[name] for name in keep if response.has_header(name)}
