"""The API's side of no lost update (itsm_pmo/versioning.py): `ETag` out, `If-Match` in.

Apart from itsm_pmo/api.py because the settings import that module (pagination, the error
handler) before DRF's views can be imported, and this one needs them."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from .versioning import etag_of, versions_in

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` of the object as you read it: if someone saved it since, nothing is "
        "saved and the answer is 412. Without it the update is saved whatever the version."
    ),
)

ETAG = OpenApiParameter(
    "ETag",
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The object's version, to send back in `If-Match` with an update.",
)
STALE = OpenApiResponse(
    description="Precondition failed: the object was saved by someone else since the "
    "`If-Match` version; nothing was saved (`code: stale_version`, `current_version`)."
)


def versioned_schema(serializer):
    """Class decorator for a viewset with VersionedUpdateMixin: its schema says `ETag` out,
    `If-Match` in, and 412."""
    update = extend_schema(parameters=[IF_MATCH, ETAG], responses={200: serializer, 412: STALE})
    return extend_schema_view(
        retrieve=extend_schema(parameters=[ETAG]), update=update, partial_update=update
    )


class VersionedUpdateMixin:
    """For a viewset whose objects have `updated_at`: one object's answer (read or update)
    carries its version as `ETag`; an update sends it back in `If-Match` and is refused with
    412 when someone saved the object since (the viewset passes `self.if_match()` to its
    service, which compares under the row lock). No `If-Match` is last write wins, as
    before: existing clients keep working (docs/decisions.md)."""

    versioned_actions = frozenset({"retrieve", "update", "partial_update"})

    def get_object(self):
        obj = super().get_object()  # type: ignore[misc]
        self.versioned_object = obj
        return obj

    def if_match(self) -> list[str] | None:
        return versions_in(self.request.headers.get("If-Match"))  # type: ignore[attr-defined]

    def saved(self, obj):
        """Note the object an update wrote, for its new `ETag`; returns it."""
        self.versioned_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        obj = getattr(self, "versioned_object", None)
        if (
            obj is not None
            and getattr(self, "action", None) in self.versioned_actions
            and 200 <= response.status_code < 300
        ):
            response["ETag"] = etag_of(obj)
        return response
