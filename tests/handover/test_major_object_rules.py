"""Object rules of major incidents, tried from both doors (tests/support/object_rules.py): an
engineer who is not engaged sees a major incident but may neither declare one, run it, write
its review nor tick someone else's action; the ITSM manager (and an action's owner) may."""

from django.utils import timezone

from handover.incidents.major import services as major
from tests.factories import PersonFactory, UserFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot

from .factories import IncidentFactory

API = "/api/handover"


def _p1(**fields):
    return IncidentFactory(impact=1, urgency=1, **fields)


def _declared(role_user):
    """An active major incident on a resolved P1 (so it may move to review), run by an ITSM
    manager outside the test's users, with one person engaged and one review action."""
    runner = UserFactory(roles=["itsm_manager"])
    incident = _p1(state="resolved", resolved_at=timezone.now())
    found = major.major_declare(incident=incident, by=runner, summary="Checkout down")
    found.engagement = major.engagement_add(
        major=found, by=runner, person=PersonFactory(), role="resolver"
    )
    return found


class TestDeclareRules(ObjectRuleCase):
    """An engineer sees a P1 but does not declare it major; an ITSM manager does."""

    basenames = ("handover-major-incident",)

    def make(self, role_user):
        return _p1()

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/incidents/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "post", f"{API}/major-incidents/", {"incident": obj.pk}),
            Write("page", "post", f"/major-incidents/declare/{obj.pk}/", {"summary": "Down"}),
        ]

    def state(self, obj):
        return snapshot(obj, "major")


class TestMajorIncidentRules(ObjectRuleCase):
    """An engineer not engaged on it reads a major incident but neither posts to it, engages
    or releases people, writes its review, adds actions nor moves it; an ITSM manager does."""

    basenames = ("handover-major-incident",)

    def make(self, role_user):
        return _declared(role_user)

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return f"/major-incidents/{obj.pk}/"

    def api_view(self, obj):
        return f"{API}/major-incidents/{obj.pk}/"

    def writes(self, obj):
        api, page = f"{API}/major-incidents/{obj.pk}/", f"/major-incidents/{obj.pk}/"
        person = PersonFactory().pk
        due = timezone.localdate().isoformat()
        action = {"description": "Alert on expiry", "owner": person, "due_on": due}
        return [
            Write("api", "post", f"{api}updates/", {"kind": "update", "text": "Restored"}),
            Write("page", "post", f"{page}post/", {"kind": "update", "text": "Restored"}),
            Write("api", "post", f"{api}engagements/", {"person": person, "role": "resolver"}),
            Write("page", "post", f"{page}engage/", {"person": person, "role": "resolver"}),
            Write("api", "post", f"{api}release/", {"engagement": obj.engagement.pk}),
            Write("page", "post", f"/major-incidents/engagements/{obj.engagement.pk}/release/"),
            Write("api", "post", f"{api}review/", {"impact": "Checkout down for an hour"}),
            Write("page", "post", f"{page}review/", {"impact": "Checkout down for an hour"}),
            Write("api", "post", f"{api}actions/", action),
            Write("page", "post", f"{page}actions/", action),
            Write("api", "post", f"{api}transition/", {"to": "review"}),
            Write("page", "post", f"{page}transition/", {"to": "review"}),
        ]

    def state(self, obj):
        found = snapshot(obj, "state", related=("updates", "engagements", "transitions"))
        review = getattr(type(obj).objects.get(pk=obj.pk), "review", None)
        found["review"] = (review.impact, review.actions.count()) if review else None
        found["released"] = type(obj.engagement).objects.get(pk=obj.engagement.pk).released_at
        return found


class TestReviewActionRules(ObjectRuleCase):
    """An engineer who does not own an action reads it but does not tick it done; its owner
    does."""

    basenames = ("handover-review-action",)

    def make(self, role_user):
        found = _declared(role_user)
        owner = PersonFactory(user=UserFactory(roles=["engineer"]))
        return major.action_add(
            major=found,
            by=found.declared_by,
            description="Alert on certificate expiry",
            owner=owner,
            due_on=timezone.localdate(),
        )

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return obj.owner.user

    def page_view(self, obj):
        return f"/major-incidents/{obj.review.major_incident_id}/"

    def api_view(self, obj):
        return f"{API}/review-actions/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "post", f"{API}/review-actions/{obj.pk}/complete/", {"done": True}),
            Write("page", "post", f"/major-incidents/actions/{obj.pk}/done/", {"done": "on"}),
        ]

    def state(self, obj):
        return snapshot(obj, "done_at")
