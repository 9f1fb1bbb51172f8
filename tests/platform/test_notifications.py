"""Notifications (itsm_pmo/notifications): each person's preferences decide between the
portal and e-mail; the header's unread count; the page and API show a user their own only;
marking read; a failed e-mail never fails the request and is tried again."""

import re

import pytest
from django.test import Client

from itsm_pmo.models import Notification, NotificationPreference, PendingTask
from itsm_pmo.notifications import Event, notify
from itsm_pmo.notifications.tasks import deliver_notification
from tests.factories import UserFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot
from tests.support.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(in_process_tasks, django_capture_on_commit_callbacks):
    """told(event, users, title=...): notify() in a committed transaction, delivered now."""

    def tell(event, users, **kwargs):
        kwargs.setdefault("title", "Checkout is down")
        with django_capture_on_commit_callbacks(execute=True):
            notify(event, users, **kwargs)

    return tell


def prefer(user, event, *, in_app, email):
    NotificationPreference.objects.create(user=user, event=event, in_app=in_app, email=email)


def shown(user):
    return list(
        Notification.objects.filter(recipient=user, in_app=True).values_list("title", flat=True)
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- preferences respected --------------------------------------------------------------------


def test_notification_default_is_portal_and_email_for_what_needs_me(told, mailoutbox):
    # given someone with no preference of their own
    ana = UserFactory()
    # when an incident is assigned to them
    told(Event.ASSIGNED_TO_ME, [ana], url="/incidents/1/")
    # then the portal shows it and they get an e-mail with the link
    assert shown(ana) == ["Checkout is down"]
    assert [m.to for m in mailoutbox] == [[ana.email]]
    assert mailoutbox[0].subject == "Checkout is down"
    assert "http://localhost:8000/incidents/1/" in mailoutbox[0].body


def test_notification_default_keeps_the_group_queue_in_the_portal(told, mailoutbox):
    ana = UserFactory()
    told(Event.ASSIGNED_TO_GROUP, [ana])
    assert shown(ana) == ["Checkout is down"]
    assert mailoutbox == []


def test_notification_preference_in_portal_only(told, mailoutbox):
    ana = UserFactory()
    prefer(ana, Event.ASSIGNED_TO_ME, in_app=True, email=False)
    told(Event.ASSIGNED_TO_ME, [ana])
    assert shown(ana) == ["Checkout is down"]
    assert mailoutbox == []


def test_notification_preference_email_only(told, mailoutbox):
    # given someone who wants SLA warnings by e-mail only
    ana = UserFactory()
    prefer(ana, Event.SLA_WARNING, in_app=False, email=True)
    # when one comes
    told(Event.SLA_WARNING, [ana])
    # then it is e-mailed, and neither listed nor counted in the portal
    assert [m.to for m in mailoutbox] == [[ana.email]]
    assert shown(ana) == []
    page = signed_in(ana).get("/notifications/").content.decode()
    assert "No notifications yet." in page and "Notifications: none unread" in page


def test_notification_preference_neither(told, mailoutbox):
    ana, ben = UserFactory(), UserFactory()
    prefer(ana, Event.MAJOR_INCIDENT, in_app=False, email=False)
    told(Event.MAJOR_INCIDENT, [ana, ben])
    assert shown(ana) == [] and not Notification.objects.filter(recipient=ana).exists()
    assert shown(ben) == ["Checkout is down"]
    assert [m.to for m in mailoutbox] == [[ben.email]]


def test_notification_preference_is_per_event(told, mailoutbox):
    ana = UserFactory()
    prefer(ana, Event.ESCALATION, in_app=False, email=False)
    told(Event.ASSIGNED_TO_ME, [ana])
    assert shown(ana) == ["Checkout is down"] and len(mailoutbox) == 1


def test_notification_skips_the_actor_and_inactive_users(told, mailoutbox):
    actor, gone, ana = UserFactory(), UserFactory(is_active=False), UserFactory()
    told(Event.ASSIGNED_TO_ME, [actor, gone, ana.pk], exclude=actor)
    assert shown(actor) == [] and shown(gone) == []
    assert shown(ana) == ["Checkout is down"]
    assert [m.to for m in mailoutbox] == [[ana.email]]


def test_notification_without_an_email_address_is_shown_only(told, mailoutbox):
    ana = UserFactory(email="")
    told(Event.ASSIGNED_TO_ME, [ana])
    assert shown(ana) == ["Checkout is down"] and mailoutbox == []


def test_notification_unknown_event_is_refused_at_once():
    with pytest.raises(ValueError):
        notify("lunch_is_ready", [UserFactory()], title="Soup")


def test_notification_delivered_twice_writes_and_mails_once(
    in_process_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    # given a delivery that ran (the outbox is at least once: it may run again)
    ana, ben = UserFactory(), UserFactory()
    args = ("assigned_to_me", [ana.pk, ben.pk], "INC-1 is yours", "/incidents/1/", "", "k1")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_notification(*args) == 2
    # when it runs again
    with django_capture_on_commit_callbacks(execute=True):
        again = deliver_notification(*args)
    # then no row is duplicated and no e-mail sent twice
    assert again == 0
    assert Notification.objects.filter(dedup_key="k1").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ana.email, ben.email])


@pytest.mark.django_db(transaction=True)
def test_notification_email_failure_never_fails_the_request_and_is_kept_for_retry(
    in_process_tasks, settings, api_clients
):
    # given no SMTP server (a real client against a port where nothing listens)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    from tests.changes.test_cab import waiting_change

    change = waiting_change()
    PendingTask.objects.all().delete()
    # when the CAB approves it, and the requester's e-mail cannot be sent
    answer = api_clients("itsm_manager").post(
        f"/api/changes/changes/{change.pk}/approvals/", {"decision": "approve"}, format="json"
    )
    # then the approval is answered as saved, the requester sees it in the portal
    assert answer.status_code == 201
    row = Notification.objects.get(recipient=change.requester, event="change_decided")
    assert row.email_wanted and row.emailed_at is None
    # and the e-mail waits in the outbox for beat to send again
    assert list(PendingTask.objects.values_list("task", "args")) == [
        ("itsm_pmo.notifications.tasks.send_notification_email", [row.pk])
    ]


# --- the header --------------------------------------------------------------------------------


def test_header_shows_the_unread_count_for_screen_readers_too(told):
    ana = UserFactory()
    for i in range(3):
        told(Event.ASSIGNED_TO_ME, [ana], title=f"INC-{i} is yours")
    Notification.objects.filter(recipient=ana, title="INC-0 is yours").update(
        read_at="2026-01-01T00:00Z"
    )
    page = signed_in(ana).get("/").content.decode()
    assert 'data-testid="notification-count" aria-hidden="true">2<' in page
    assert "2 unread notifications" in page
    assert 'href="/notifications/"' in page


def test_header_without_unread_says_so(told):
    ana = UserFactory()
    page = signed_in(ana).get("/").content.decode()
    assert 'data-testid="notification-count"' not in page
    assert "Notifications: none unread" in page


def test_header_count_costs_one_query_and_none_once_kept(told, settings):
    # given a user with unread notifications, and the count kept (as in production)
    ana = UserFactory()
    told(Event.ASSIGNED_TO_ME, [ana], title="INC-1 is yours")
    settings.NOTIFICATION_COUNT_SECONDS = 300
    client = signed_in(ana)

    def counts(path):
        with count_queries() as q:
            page = client.get(path).content.decode()
        return page, [s["sql"] for s in q.captured_queries if "itsm_pmo_notification" in s["sql"]]

    # when a page is opened: one query counts them
    page, reads = counts("/changes/")
    assert "1 unread notification<" in page and len(reads) == 1
    # then another page (not kept by the page cache) takes the kept count
    page, reads = counts("/handover/")
    assert "1 unread notification<" in page and reads == []
    # and a new notification makes the count, and the kept page, stale
    told(Event.ASSIGNED_TO_ME, [ana], title="INC-2 is yours")
    page, reads = counts("/changes/")
    assert "2 unread notifications" in page and len(reads) == 1


def test_header_count_shows_99_plus_and_stays_bounded(told):
    ana = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=ana, event="assigned_to_me", title=f"INC-{i}") for i in range(120)
    )
    page = signed_in(ana).get("/").content.decode()
    assert "99+ unread notifications" in page


# --- the page --------------------------------------------------------------------------------


def make(user, n, **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=user, event="assigned_to_me", title=f"INC-{i} is yours", **fields)
        for i in range(n)
    )


def test_notification_page_lists_only_my_own_newest_first_unread_highlighted(told):
    ana, ben = UserFactory(), UserFactory()
    told(Event.ASSIGNED_TO_ME, [ana], title="Older")
    told(Event.ASSIGNED_TO_ME, [ana], title="Newer")
    told(Event.ASSIGNED_TO_ME, [ben], title="Ben's own")
    page = signed_in(ana).get("/notifications/").content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "Ben&#x27;s own" not in page and "Ben's own" not in page
    assert page.count('data-read="no"') == 2 and "notification-unread" in page


def test_notification_page_filters_unread(told):
    ana = UserFactory()
    make(ana, 1)
    Notification.objects.create(
        recipient=ana, event="sla_breach", title="Read one", read_at="2026-01-01T00:00Z"
    )
    client = signed_in(ana)
    assert "Read one" in client.get("/notifications/").content.decode()
    unread = client.get("/notifications/?unread=true").content.decode()
    assert "Read one" not in unread and "INC-0 is yours" in unread


def test_notification_page_empty_state_explains(told):
    page = signed_in(UserFactory()).get("/notifications/").content.decode()
    assert "No notifications yet." in page and "preferences" in page


def test_notification_page_escapes_user_text(told):
    ana = UserFactory()
    told(Event.ASSIGNED_TO_ME, [ana], title="<script>alert(1)</script>", body="<b>x</b>")
    page = signed_in(ana).get("/notifications/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page


def test_notification_mark_read_is_the_recipients_alone(told):
    ana, ben = UserFactory(), UserFactory()
    (mine,) = make(ana, 1)
    # another user's notification is not there for them
    assert signed_in(ben).post(f"/notifications/{mine.pk}/read/").status_code == 404
    assert signed_in(ben).get(f"/notifications/{mine.pk}/open/").status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
    # its recipient marks it read, and goes back to the list
    answer = signed_in(ana).post(
        f"/notifications/{mine.pk}/read/", {"next": "/notifications/?unread=true"}
    )
    assert answer.status_code == 302 and answer.url == "/notifications/?unread=true"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_notification_mark_read_needs_post():
    ana = UserFactory()
    (mine,) = make(ana, 1)
    assert signed_in(ana).get(f"/notifications/{mine.pk}/read/").status_code == 405


def test_notification_mark_all_read(told):
    ana, ben = UserFactory(), UserFactory()
    make(ana, 3)
    make(ben, 2)
    answer = signed_in(ana).post("/notifications/read-all/")
    assert answer.status_code == 302
    assert not Notification.objects.filter(recipient=ana, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=ben, read_at__isnull=True).count() == 2


def test_notification_open_marks_read_and_goes_to_its_object(told):
    ana = UserFactory()
    mine = Notification.objects.create(
        recipient=ana, event="assigned_to_me", title="x", url="/incidents/7/"
    )
    elsewhere = Notification.objects.create(
        recipient=ana, event="assigned_to_me", title="y", url="https://evil.example.com/"
    )
    client = signed_in(ana)
    answer = client.get(f"/notifications/{mine.pk}/open/")
    assert answer.status_code == 302 and answer.url == "/incidents/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # a link off the site is not followed
    assert client.get(f"/notifications/{elsewhere.pk}/open/").url == "/notifications/"


def test_notification_page_queries_do_not_grow_with_rows():
    ana = UserFactory()
    client = signed_in(ana)
    make(ana, 3)
    assert_constant_queries(
        lambda: client.get("/notifications/"), lambda: make(ana, 60), expected=None
    )


# --- preferences page --------------------------------------------------------------------------


def ticked(page: str, name: str) -> bool:
    box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert box, name
    return " checked" in box.group(0)


def test_preferences_page_shows_the_defaults_and_saves_choices():
    ana = UserFactory()
    client = signed_in(ana)
    page = client.get("/notifications/preferences/").content.decode()
    # every event is a row; the defaults are ticked
    for event in Event:
        assert f'name="{event.value}:in_app"' in page
    assert ticked(page, "assigned_to_me:email") and ticked(page, "sla_warning:in_app")
    assert not ticked(page, "sla_warning:email") and not ticked(page, "assigned_to_group:email")
    # when they keep only the portal for assignments and turn major incidents off
    boxes = {f"{e.value}:in_app": "on" for e in Event if e != Event.MAJOR_INCIDENT}
    boxes.update(
        {
            f"{e.value}:email": "on"
            for e in Event
            if e
            not in (
                Event.ASSIGNED_TO_ME,
                Event.MAJOR_INCIDENT,
                Event.ASSIGNED_TO_GROUP,
                Event.SLA_WARNING,
            )
        }
    )
    answer = client.post("/notifications/preferences/", boxes)
    assert answer.status_code == 302
    # then only the departures from the defaults are stored
    assert set(
        NotificationPreference.objects.filter(user=ana).values_list("event", "in_app", "email")
    ) == {("assigned_to_me", True, False), ("major_incident", False, False)}
    assert "changed" in client.get("/notifications/preferences/").content.decode()


# --- the API ----------------------------------------------------------------------------------


def test_api_lists_my_own_and_filters_unread(api_clients, role_user):
    eng = role_user("engineer")
    make(eng, 2)
    Notification.objects.create(
        recipient=eng, event="sla_breach", title="Read", read_at="2026-01-01T00:00Z"
    )
    make(UserFactory(), 4)
    client = api_clients("engineer")
    everything = client.get("/api/me/notifications/").json()
    assert everything["count"] == 3
    unread = client.get("/api/me/notifications/?unread=true").json()
    assert unread["count"] == 2 and all(r["unread"] for r in unread["results"])
    assert client.get("/api/me/notifications/?unread=maybe").status_code == 400


def test_api_marks_read_my_own_only(api_clients, role_user):
    eng = role_user("engineer")
    (mine,) = make(eng, 1)
    (theirs,) = make(UserFactory(), 1)
    client = api_clients("engineer")
    assert client.post(f"/api/me/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/api/me/notifications/{theirs.pk}/").status_code == 404
    answer = client.post(f"/api/me/notifications/{mine.pk}/read/")
    assert answer.status_code == 200 and answer.json()["unread"] is False
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_read_all(api_clients, role_user):
    eng = role_user("engineer")
    make(eng, 3)
    other = UserFactory()
    make(other, 1)
    answer = api_clients("engineer").post("/api/me/notifications/read-all/")
    assert answer.json() == {"marked": 3}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_api_preferences_get_and_put(api_clients, role_user):
    client = api_clients("executive")
    got = client.get("/api/me/notifications/preferences/").json()["preferences"]
    assert [r["event"] for r in got] == Event.values
    group = next(r for r in got if r["event"] == "assigned_to_group")
    assert group["in_app"] and not group["email"] and not group["default_email"]
    put = client.put(
        "/api/me/notifications/preferences/",
        {"preferences": [{"event": "assigned_to_group", "in_app": False, "email": True}]},
        format="json",
    )
    assert put.status_code == 200
    group = next(r for r in put.json()["preferences"] if r["event"] == "assigned_to_group")
    assert not group["in_app"] and group["email"]
    assert NotificationPreference.objects.filter(user=role_user("executive")).count() == 1


def test_api_preferences_refuse_bad_input_and_save_nothing(api_clients, role_user):
    client = api_clients("engineer")
    unknown = client.put(
        "/api/me/notifications/preferences/",
        {"preferences": [{"event": "lunch", "in_app": True, "email": True}]},
        format="json",
    )
    assert unknown.status_code == 400 and "preferences" in unknown.json()["fields"]
    twice = client.put(
        "/api/me/notifications/preferences/",
        {
            "preferences": [
                {"event": "sla_breach", "in_app": False, "email": False},
                {"event": "sla_breach", "in_app": True, "email": False},
            ]
        },
        format="json",
    )
    assert twice.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_api_is_for_signed_in_users(api_clients):
    anonymous = api_clients("anonymous")
    assert anonymous.get("/api/me/notifications/").status_code == 401
    assert anonymous.get("/api/me/notifications/preferences/").status_code == 401


# --- the demo ----------------------------------------------------------------------------------


def test_demo_gives_demo_users_read_and_unread_notifications_once():
    from itsm_pmo.demo import seed_demo

    users = seed_demo(scale=1, password="demo").users
    engineer = Notification.objects.filter(recipient=users["engineer"], in_app=True)
    assert engineer.filter(read_at__isnull=True).exists()
    assert engineer.filter(read_at__isnull=False).exists()
    assert Notification.objects.filter(
        recipient=users["itsm_manager"], event="change_approval"
    ).exists()
    before = Notification.objects.count()
    seed_demo(scale=1, password="demo")
    assert Notification.objects.count() == before
    users["engineer"].refresh_from_db()  # the second run set its password again
    answer = signed_in(users["engineer"]).get("/notifications/")
    assert answer.status_code == 200, answer
    titles = engineer.values_list("title", flat=True)
    assert any("is assigned to you" in t for t in titles), list(titles)


# --- object rules: a notification is its recipient's alone ------------------------------------


class TestNotificationRules(ObjectRuleCase):
    """Nobody but its recipient sees a notification, so the onlooker (another user) sees no
    page of it either: their every write is a 404. "Mark all read" marks only one's own."""

    basenames = ("itsm_pmo-notification",)

    def make(self, role_user):
        return Notification.objects.create(
            recipient=role_user("engineer"), event="assigned_to_me", title="INC-1 is yours"
        )

    def onlooker(self, role_user, obj):
        return role_user("itsm_manager")

    def toucher(self, role_user, obj):
        return obj.recipient

    def writes(self, obj):
        return [
            Write("api", "post", f"/api/me/notifications/{obj.pk}/read/"),
            Write("page", "post", f"/notifications/{obj.pk}/read/"),
        ]

    def state(self, obj):
        return snapshot(obj, "read_at")
