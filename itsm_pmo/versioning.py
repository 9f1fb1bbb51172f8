"""No lost update: an edit says which version of the row it was made from, and an edit made
from a version that is no longer the current one is refused instead of overwriting the
other person's work.

The version is the row's `updated_at` (every save moves it). The API sends it as the ETag
of a single object and takes it back in `If-Match` (a stale one is 412); a form carries it
in a hidden field (a stale submit is answered 409 with the form again). The comparison is
made by the service, under the row lock its write takes, so two edits from one version
cannot both pass it (`check_version`)."""

from typing import Any

from django import forms
from django.db import models


class StaleVersion(Exception):
    """The row changed since the version the edit was made from."""

    def __init__(self, obj: models.Model, expected: str):
        self.current = version_of(obj)
        self.expected = expected
        self.detail = (
            f"This {obj._meta.verbose_name} was changed by someone else since you opened it. "
            "Nothing was saved: load it again to see their changes, then make yours."
        )
        super().__init__(self.detail)


def version_of(obj: models.Model) -> str:
    """The version of a row, as an opaque token: its id and the microsecond of its last save."""
    stamp = getattr(obj, "updated_at", None)
    micros = int(stamp.timestamp() * 1_000_000) if stamp is not None else 0
    return f"{obj.pk}-{micros}"


def etag_of(obj: models.Model) -> str:
    """The version as a strong HTTP entity tag."""
    return f'"{version_of(obj)}"'


def versions_in(if_match: str | None) -> list[str] | None:
    """The versions an `If-Match` header accepts; None for no header or `*` (any version).
    A weak tag (`W/"…"`, as a compressing proxy may rewrite it) counts as its version."""
    if if_match is None or not if_match.strip() or if_match.strip() == "*":
        return None
    tags = [tag.strip() for tag in if_match.split(",") if tag.strip()]
    return [tag.removeprefix("W/").strip('"') for tag in tags]


def check_version(obj: models.Model, expected: str | list[str] | None) -> None:
    """Refuse the edit (StaleVersion) unless it was made from the row's current version; no
    version given (an API client that sends no `If-Match`) is last write wins. Call it on
    the row as read under its lock."""
    if expected is None:
        return
    accepted = [expected] if isinstance(expected, str) else expected
    if version_of(obj) not in accepted:
        raise StaleVersion(obj, ", ".join(accepted))


class VersionedFormMixin:
    """For a model form: a hidden field carries the version of the row the form was loaded
    from; the view hands `form.loaded_version()` to the service."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        instance = getattr(self, "instance", None)
        loaded = version_of(instance) if instance is not None and instance.pk else ""
        self.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=loaded
        )

    def loaded_version(self) -> str | None:
        """The version the form was loaded from; None for a form posted without one."""
        return self.cleaned_data.get("version") or None


def stale_form(view: Any, form: forms.BaseForm, exc: StaleVersion) -> Any:
    """The form again, as the user filled it in, with the reason above it, answered 409. It
    keeps the version it was loaded from, so saving again is refused again until the page is
    loaded afresh (and shows the other person's changes)."""
    form.add_error(None, exc.detail)
    response = view.form_invalid(form)
    response.status_code = 409
    return response
