"""The OpenAPI schema says what the API answers, errors included.

drf-spectacular documents the answers a view declares (200, 201, 204). Every operation can
also answer one of the errors of `itsm_pmo.api.exception_handler`, all in one body (the
`Error` component): this schema class adds them to each operation where they can happen, so
a client (and the fuzzing in tests/fuzz) knows every status it may meet.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorSerializer(serializers.Serializer):
    """Every 4xx: `{"status", "code", "detail"}`, `fields` for bad input, and where an error
    has more to say its own keys (a refused move adds `current` and `allowed`, a throttled
    request `retry_after`)."""

    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, …")
    detail = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Bad input: each field or query parameter with its reasons.",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": "Bad input: `fields` names each field or query parameter with its reasons.",
    "401": "No credentials, or a token that is unknown, expired or revoked.",
    "403": "The role or a rule of the service refuses it.",
    "404": "Nothing there among the rows you may read (or a page beyond the last).",
    "409": (
        "The state refuses it now (a refused move lists `allowed`), or it would break a "
        "uniqueness or integrity rule."
    ),
    "415": "The body is in a media type the operation does not read.",
    "429": "Too many requests: try again after `Retry-After` seconds.",
}


class ApiSchema(AutoSchema):
    """AutoSchema, plus the error answers each operation can give."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for status_code in self._error_statuses(operation):
            answer = responses.setdefault(status_code, {"description": ERRORS[status_code]})
            answer.setdefault("content", {"application/json": {"schema": ref}})
        return operation

    def _error_statuses(self, operation: dict) -> list[str]:
        # Every request may be malformed, unauthenticated (a bad token is refused even where
        # no login is needed), refused (a role, a rule, the CSRF check) or throttled.
        statuses = ["400", "401", "403", "429"]
        if "{" in self.path or self._paginates():
            statuses.append("404")
        if self.method in WRITES:
            statuses.append("409")
        if self.method in WRITES or "requestBody" in operation:
            statuses.append("415")
        return sorted(statuses)

    def _paginates(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
