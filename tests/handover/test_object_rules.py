"""Object rules of the handover app, tried from both doors (tests/support/object_rules.py):
a user who may see the object but not touch it is refused every write of the page and the
API, and nothing changes; one who may touch it goes through."""

from django.utils import timezone

from handover.choices import CheckStatus, HandoverState
from handover.models import ReadinessCriterion
from tests.factories import PersonFactory, UserFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot

from .factories import HandoverFactory, IncidentFactory, ProblemFactory
from .handover_helpers import days, force_state, settle_checks

API = "/api/handover"


def _plan(handover, **change) -> dict:
    """The planning form's fields as the page posts them."""
    return {
        "service": handover.service_id or "",
        "new_service_name": handover.new_service_name,
        "receiving_team": handover.receiving_team_id or "",
        "els_quiet_days": handover.els_quiet_days,
        "els_max_priority": handover.els_max_priority,
        "els_effort_hours": str(handover.els_effort_hours),
        **change,
    }


def _with_person(user):
    """The user, with a person record (who logs time and owns checks has one)."""
    if not hasattr(user, "person"):
        PersonFactory(user=user)
        user.refresh_from_db()
    return user


class TestHandoverPlanningRules(ObjectRuleCase):
    """An engineer sees a handover but neither plans nor moves it; a PMO lead does both."""

    basenames = ("handover-handover",)

    def make(self, role_user):
        return HandoverFactory(go_live=days(30))

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/handovers/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "patch", f"{API}/handovers/{obj.pk}/", {"els_quiet_days": 21}),
            Write(
                "api", "post", f"{API}/handovers/{obj.pk}/transition/", {"to": "readiness_review"}
            ),
            Write("page", "post", f"/handover/{obj.pk}/edit/", _plan(obj, els_quiet_days=21)),
            Write("page", "post", f"/handover/{obj.pk}/transition/", {"to": "readiness_review"}),
        ]

    def state(self, obj):
        return snapshot(obj, related=("transitions",))


class TestHandoverAcceptanceRules(ObjectRuleCase):
    """A PMO lead plans and moves a handover and sees it ready, yet may not accept it into
    operations: that is the ITSM manager's."""

    basenames = ("handover-handover",)

    def make(self, role_user):
        handover = force_state(HandoverFactory(go_live=days(30)), HandoverState.READINESS_REVIEW)
        settle_checks(handover)
        return handover

    def onlooker(self, role_user, obj):
        return role_user("pmo_lead")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/handovers/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "post", f"{API}/handovers/{obj.pk}/transition/", {"to": "accepted"}),
            Write("page", "post", f"/handover/{obj.pk}/transition/", {"to": "accepted"}),
        ]

    def state(self, obj):
        return snapshot(obj, "state", "accepted_by", "accepted_at", related=("transitions",))


class TestHandoverAcceptanceByEngineerRules(TestHandoverAcceptanceRules):
    """Nor may an engineer, who moves no handover at all."""

    def onlooker(self, role_user, obj):
        return role_user("engineer")


class TestReadinessCheckRules(ObjectRuleCase):
    """An engineer sees every check but ticks only the ones they own, through the page and
    the API alike; the owner does."""

    basenames = ("handover-check",)

    def make(self, role_user):
        handover = HandoverFactory(go_live=days(30))
        check = handover.checks.order_by("pk").first()
        check.owner = PersonFactory(user=UserFactory(roles=["engineer"]))
        check.save()
        return check

    def onlooker(self, role_user, obj):
        return _with_person(role_user("engineer"))  # a person, just not this check's owner

    def toucher(self, role_user, obj):
        return obj.owner.user

    def page_view(self, obj):
        return obj.handover.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/checks/{obj.pk}/"

    def writes(self, obj):
        done = {"status": CheckStatus.DONE, "evidence_url": "https://wiki.example.org/runbook"}
        return [
            Write("api", "patch", f"{API}/checks/{obj.pk}/", done),
            Write("page", "post", f"/handover/{obj.handover_id}/checks/{obj.pk}/", done),
        ]


class TestCriterionRules(ObjectRuleCase):
    """The readiness catalogue is plain CRUD: ITSM managers write it, PMO leads only read it."""

    basenames = ("handover-criterion",)

    def make(self, role_user):
        n = ReadinessCriterion.objects.count()
        return ReadinessCriterion.objects.create(name=f"DR rehearsal {n}", mandatory=False)

    def onlooker(self, role_user, obj):
        return role_user("pmo_lead")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def api_view(self, obj):
        return f"{API}/criteria/{obj.pk}/"

    def writes(self, obj):
        url = f"{API}/criteria/{obj.pk}/"
        return [
            Write("api", "patch", url, {"description": "Fail over and back once."}),
            Write("api", "delete", url),
        ]


class TestIncidentRules(ObjectRuleCase):
    """A PMO lead sees every incident but neither edits, moves, groups nor logs time on one;
    an engineer (one shared queue) does all of it."""

    basenames = ("handover-incident",)

    def make(self, role_user):
        return IncidentFactory()

    def onlooker(self, role_user, obj):
        return _with_person(role_user("pmo_lead"))

    def toucher(self, role_user, obj):
        return _with_person(role_user("engineer"))

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/incidents/{obj.pk}/"

    def writes(self, obj):
        page = obj.get_absolute_url()
        today = timezone.localdate().isoformat()
        return [
            Write("api", "patch", f"{API}/incidents/{obj.pk}/", {"urgency": 1}),
            Write("api", "post", f"{API}/incidents/{obj.pk}/transition/", {"to": "in_progress"}),
            Write("page", "post", f"{page}transition/", {"to": "in_progress"}),
            Write("page", "post", f"{page}problem/", {"problem": ProblemFactory().pk}),
            Write("page", "post", f"{page}work/", {"day": today, "hours": "1.5"}),
        ]

    def state(self, obj):
        return snapshot(obj, related=("work_logs", "transitions"))


class TestWorkLogRules(ObjectRuleCase):
    """Time is logged by who worked it: an engineer may not log a colleague's day on an
    incident through the API (the page never offers it); the ITSM manager keeps the queue's
    records and may."""

    basenames = ("handover-worklog",)

    def make(self, role_user):
        incident = IncidentFactory()
        incident.colleague = PersonFactory()
        return incident

    def onlooker(self, role_user, obj):
        return _with_person(role_user("engineer"))

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def api_view(self, obj):
        return f"{API}/incidents/{obj.pk}/"

    def writes(self, obj):
        body = {"incident": obj.pk, "hours": "8", "person": obj.colleague.pk}
        return [Write("api", "post", f"{API}/worklogs/", body)]

    def state(self, obj):
        return snapshot(obj, "pk", related=("work_logs",))


class TestProblemRules(ObjectRuleCase):
    """Problems are the ITSM managers' to write; engineers read them (page and API)."""

    basenames = ("handover-problem",)

    def make(self, role_user):
        return ProblemFactory()

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/problems/{obj.pk}/"

    def writes(self, obj):
        url, page = f"{API}/problems/{obj.pk}/", obj.get_absolute_url()
        return [
            Write("page", "post", f"{page}edit/", {"title": "Pool capped", "root_cause": "x"}),
            Write("page", "post", f"{page}transition/", {"to": "assess"}),
            Write("api", "patch", url, {"root_cause": "Pool capped at 20 connections."}),
            Write("api", "post", f"{url}transition/", {"to": "assess", "comment": "Triaged"}),
            Write("api", "delete", url),
        ]
