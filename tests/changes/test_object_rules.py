"""Every write the change pages and the change API offer, tried by a user who may see the
object but not touch it (refused, nothing changed) and by one who may (it goes through).

Basenames are `changes-<router basename>` as registered in changes/api/urls.py."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from changes.models import (
    ApprovalPolicy,
    ChangeRequest,
    PostImplementationReview,
)
from tests.factories import PersonFactory, UserFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot

from .factories import (
    ChangeFactory,
    ChangeTemplateFactory,
    ConfigurationItemFactory,
    FreezeWindowFactory,
    advance,
)

LOCAL = "%Y-%m-%dT%H:%M"


def change_form(change: ChangeRequest, **changes) -> dict:
    """The change form as the edit page posts it, with `changes` applied."""
    start, end = (timezone.localtime(t) for t in (change.planned_start, change.planned_end))
    return {
        "title": change.title,
        "change_type": change.change_type,
        "items": [i.pk for i in change.items.all()],
        "planned_start": start.strftime(LOCAL),
        "planned_end": end.strftime(LOCAL),
        "effort_hours": str(change.effort_hours),
        "backout_plan": change.backout_plan,
        "implementer": change.implementer_id or "",
        **changes,
    }


# --- the change itself: whoever works on it (its requester here) ----------------------------


class TestChangeWorkRules(ObjectRuleCase):
    """Edit and move: the requester (or implementer, or an ITSM manager), not another
    engineer."""

    basenames = ("changes-change",)

    def make(self, role_user):
        return ChangeFactory(implemented=True)

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return obj.requester

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"/api/changes/changes/{obj.pk}/"

    def writes(self, obj):
        api = f"/api/changes/changes/{obj.pk}/"
        return [
            Write("api", "patch", api, {"title": "Renamed"}),
            Write("api", "put", api, {"title": "Renamed in full", "backout_plan": "Undo"}),
            Write("api", "post", f"{api}transition/", {"to": "assess"}),
            Write("page", "post", f"/changes/{obj.pk}/edit/", change_form(obj, title="Renamed")),
            Write("page", "post", f"/changes/{obj.pk}/transition/", {"to": "assess"}),
        ]

    def state(self, obj):
        return snapshot(obj, "title", "backout_plan", "state")


class TestChangeDecisionRules(ObjectRuleCase):
    """The CAB decision: the policy's role, never someone who implements (or raised) it,
    even an ITSM manager."""

    basenames = ("changes-change",)

    def make(self, role_user):
        implementer = PersonFactory(user=UserFactory(roles=["itsm_manager"]))
        return advance(ChangeFactory(implementer=implementer), "authorize")

    def onlooker(self, role_user, obj):
        return obj.implementer.user

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"/api/changes/changes/{obj.pk}/approvals/"

    def writes(self, obj):
        return [
            Write(
                "api", "post", f"/api/changes/changes/{obj.pk}/approvals/", {"decision": "approve"}
            ),
            Write("page", "post", f"/changes/{obj.pk}/decide/", {"decision": "approve"}),
        ]

    def state(self, obj):
        return snapshot(obj, "state", related=("approvals", "transitions"))


class TestChangeCabRules(ObjectRuleCase):
    """Risk override and freeze exception: ITSM managers, not the engineer who raised it."""

    basenames = ("changes-change",)

    def make(self, role_user):
        return ChangeFactory()

    def onlooker(self, role_user, obj):
        return obj.requester

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"/api/changes/changes/{obj.pk}/"

    def writes(self, obj):
        api = f"/api/changes/changes/{obj.pk}/"
        risk = {"level": "high", "reason": "Peak week"}
        reason = {"reason": "Regulatory deadline"}
        return [
            Write("api", "post", f"{api}risk-override/", risk),
            Write("api", "post", f"{api}freeze-exception/", reason),
            Write("page", "post", f"/changes/{obj.pk}/risk/", risk),
            Write("page", "post", f"/changes/{obj.pk}/freeze-exception/", reason),
        ]

    def state(self, obj):
        return snapshot(
            obj,
            "risk_override",
            "risk_override_reason",
            "freeze_exception",
            "freeze_exception_reason",
        )


# --- the post-implementation review -----------------------------------------------------------


def review_state(change: ChangeRequest) -> dict:
    return {
        "outcome": ChangeRequest.objects.get(pk=change.pk).outcome,
        "review": PostImplementationReview.objects.filter(change=change)
        .values("outcome", "incidents_caused", "notes")
        .first(),
    }


class TestReviewRecordRules(ObjectRuleCase):
    """Recording the review of an implemented change: whoever works on it."""

    basenames = ("changes-review",)

    def make(self, role_user):
        return advance(ChangeFactory(implemented=True), "implement")

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return obj.requester

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"/api/changes/changes/{obj.pk}/"

    def writes(self, obj):
        body = {"outcome": "failed", "incidents_caused": 2, "notes": "Rolled back"}
        return [
            Write("api", "post", "/api/changes/reviews/", {"change": obj.pk, **body}),
            Write("page", "post", f"/changes/{obj.pk}/review/", body),
        ]

    def state(self, obj):
        return review_state(obj)


class TestReviewCorrectionRules(ObjectRuleCase):
    """Correcting a recorded review: whoever works on the change; the change follows."""

    basenames = ("changes-review",)

    def make(self, role_user):
        from changes import services

        change = advance(ChangeFactory(implemented=True), "implement")
        return services.review_record(change=change, by=change.requester, outcome="successful")

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return obj.change.requester

    def page_view(self, obj):
        return obj.change.get_absolute_url()

    def api_view(self, obj):
        return f"/api/changes/reviews/{obj.pk}/"

    def writes(self, obj):
        body = {"outcome": "failed", "incidents_caused": 1, "notes": "An incident came in"}
        return [
            Write("api", "post", f"/api/changes/reviews/{obj.pk}/correct/", body),
            Write("page", "post", f"/changes/{obj.change_id}/review/correct/", body),
        ]

    def state(self, obj):
        return review_state(obj.change)


# --- plain CRUD: the role's model permission is the only rule ----------------------------------


class PlainCrudCase(ObjectRuleCase):
    """Engineers read these, ITSM managers write them (the role's model permission)."""

    endpoint = ""
    rename: dict = {}

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def api_view(self, obj):
        return f"/api/changes/{self.endpoint}/{obj.pk}/"

    def writes(self, obj):
        url = self.api_view(obj)
        return [Write("api", "patch", url, self.rename), Write("api", "delete", url)]


class TestItemRules(PlainCrudCase):
    basenames = ("changes-item",)
    endpoint, rename = "items", {"name": "renamed-ci"}

    def make(self, role_user):
        return ConfigurationItemFactory()


class TestTemplateRules(PlainCrudCase):
    basenames = ("changes-template",)
    endpoint, rename = "templates", {"name": "Renamed template"}

    def make(self, role_user):
        return ChangeTemplateFactory()


class TestPolicyRules(PlainCrudCase):
    basenames = ("changes-policy",)
    endpoint, rename = "policies", {"quorum": 3}

    def make(self, role_user):
        ApprovalPolicy.objects.all().delete()  # one policy per case: a fresh one each time
        return ApprovalPolicy.objects.create(
            change_type="normal", approver_group=Group.objects.get(name="itsm_manager")
        )


class TestFreezeRules(PlainCrudCase):
    basenames = ("changes-freeze",)
    endpoint, rename = "freezes", {"name": "Renamed freeze"}

    def make(self, role_user):
        return FreezeWindowFactory(start=timezone.now() + timedelta(days=30))
