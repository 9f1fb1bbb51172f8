"""Object rules tried from both doors (NetBox's constrained-permission tests are the model).

For every model whose rows have rules about who may touch them, one test class fills in
`ObjectRuleCase`: how to make the object, a user who may *see* it but not touch it (the
onlooker), a user who may touch it (the toucher), and every write the page and the API offer
on it. The mixin then asserts, for every write:

- the onlooker can read the object (page and API answer 200), yet every write is refused with
  403 or 404 and nothing in the database changed (`state` is compared before and after);
- the toucher's write goes through (2xx or a redirect) and the object's state changed.

`tests/platform/test_object_rules_cover.py` walks the API router and fails when a viewset that
accepts writes has no case here naming its basename, so a new endpoint is born checked.

    class TestChangeRules(ObjectRuleCase):
        basenames = ("changes-change",)

        def make(self, role_user): return ChangeFactory(requester=...)
        def onlooker(self, role_user, obj): return role_user("engineer")
        def toucher(self, role_user, obj): return obj.requester
        def page_view(self, obj): return obj.get_absolute_url()
        def api_view(self, obj): return f"/api/changes/changes/{obj.pk}/"
        def writes(self, obj): return [Write("api", "patch", f"/api/...", {"title": "x"}), ...]
        def state(self, obj): return snapshot(obj, "title", "state")
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

REFUSED = (403, 404)


@dataclass(frozen=True)
class Write:
    """One write a door offers: `door` is "api" (JSON) or "page" (a form POST)."""

    door: str
    method: str
    url: str
    data: dict = field(default_factory=dict)


def snapshot(obj, *fields: str, related: Iterable[str] = ()) -> dict[str, Any]:
    """The object's row (all concrete fields, or those named) and how many rows each named
    reverse relation holds, read afresh from the database."""
    model = type(obj)
    row = model.objects.filter(pk=obj.pk).values(*fields).first()
    counts = {name: getattr(model.objects.get(pk=obj.pk), name).count() for name in related}
    return {"row": row, "related": counts}


class ObjectRuleCase:
    """Fill in the hooks; the tests come with it. See the module docstring."""

    basenames: tuple[str, ...] = ()

    def make(self, role_user):
        raise NotImplementedError

    def onlooker(self, role_user, obj):
        raise NotImplementedError

    def toucher(self, role_user, obj):
        raise NotImplementedError

    def page_view(self, obj) -> str | None:
        return None

    def api_view(self, obj) -> str | None:
        return None

    def writes(self, obj) -> list[Write]:
        raise NotImplementedError

    def state(self, obj) -> Any:
        return snapshot(obj)

    # --- the tests -----------------------------------------------------------------------

    def _send(self, user, write: Write):
        client = APIClient() if write.door == "api" else Client()
        client.force_login(user)
        send = getattr(client, write.method)
        if write.door == "api":
            return send(write.url, write.data, format="json")
        return send(write.url, write.data)

    @pytest.mark.django_db
    def test_onlooker_sees_the_object(self, role_user):
        # given an object and a user who may see it
        obj = self.make(role_user)
        user = self.onlooker(role_user, obj)
        # when they open it by the page and the API, then both answer
        for url, client in ((self.page_view(obj), Client()), (self.api_view(obj), APIClient())):
            if url:
                client.force_login(user)
                assert client.get(url).status_code == 200, url

    @pytest.mark.django_db
    def test_onlooker_cannot_touch_the_object(self, role_user):
        # given an object and a user who may see it but not touch it
        obj = self.make(role_user)
        user = self.onlooker(role_user, obj)
        writes = self.writes(obj)
        assert writes, "name the writes the page and the API offer"
        for write in writes:
            before = self.state(obj)
            # when they try each write
            response = self._send(user, write)
            # then it is refused and nothing changed
            assert response.status_code in REFUSED, (write, response.status_code)
            assert self.state(obj) == before, write

    @pytest.mark.django_db
    def test_toucher_may_touch_the_object(self, role_user):
        # given a fresh object per write, and a user whose object it is to touch
        count = len(self.writes(self.make(role_user)))
        for index in range(count):
            obj = self.make(role_user)
            write = self.writes(obj)[index]
            user = self.toucher(role_user, obj)
            before = self.state(obj)
            # when they make the write
            response = self._send(user, write)
            # then it goes through and the object changed
            assert response.status_code < 400, (write, response.status_code, response.content[:300])
            assert self.state(obj) != before, write
