"""Who may touch resources rows, tried from the page and the API by an onlooker (may see, may
not touch: 403/404 and nothing changed) and by one who may (goes through).

Allocations carry object rules (a PMO lead plans everyone's time, a team's manager their
team's); conflicts are acknowledged by ITSM managers and PMO leads; teams, people, skills,
absences and demands are plain CRUD whose rule is the role's model permission.
"""

from datetime import timedelta
from decimal import Decimal

from resources.models import Conflict
from resources.snapshot import compute_and_publish
from tests.factories import PersonFactory, SkillFactory, TeamFactory, UserFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot

from .factories import AbsenceFactory, AllocationFactory, DemandFactory, team_managed_by


def allocation_writes(allocation) -> list[Write]:
    """Every write the allocation pages and the API offer on one allocation."""
    pk = allocation.pk
    form = {
        "person": allocation.person_id,
        "kind": allocation.kind,
        "project": allocation.project_id or "",
        "hours_per_week": "12",
        "start_date": str(allocation.start_date),
        "end_date": str(allocation.end_date),
        "note": "moved",
    }
    body = {**form, "project": allocation.project_id, "hours_per_week": "14"}
    return [
        Write("page", "post", f"/resources/allocations/{pk}/edit/", form),
        Write("page", "post", f"/resources/allocations/{pk}/delete/"),
        Write("api", "patch", f"/api/resources/allocations/{pk}/", {"hours_per_week": "6"}),
        Write("api", "put", f"/api/resources/allocations/{pk}/", body),
        Write("api", "delete", f"/api/resources/allocations/{pk}/"),
    ]


class TestAllocationRulesForTeamManagers(ObjectRuleCase):
    """An engineer who manages no team sees an allocation but may not touch it; the engineer
    named as manager of the person's team may."""

    basenames = ("resources-allocation",)

    def make(self, role_user):
        manager = UserFactory(roles=["engineer"])
        return AllocationFactory(person=PersonFactory(team=team_managed_by(manager)))

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return obj.person.team.manager.user

    def page_view(self, obj):
        return obj.person.get_absolute_url()

    def api_view(self, obj):
        return f"/api/resources/allocations/{obj.pk}/"

    def writes(self, obj):
        return allocation_writes(obj)

    def state(self, obj):
        return snapshot(obj)


class TestAllocationRulesForPmoLeads(TestAllocationRulesForTeamManagers):
    """The manager of another team sees an allocation but may not touch it; a PMO lead may."""

    def make(self, role_user):
        return AllocationFactory()

    def onlooker(self, role_user, obj):
        other = role_user("engineer")
        team_managed_by(other)
        return other

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")


class _PlainCrud(ObjectRuleCase):
    """Plain CRUD: the onlooker is a role with view but not change or delete permission."""

    onlooker_role = "itsm_manager"
    url = ""

    def onlooker(self, role_user, obj):
        return role_user(self.onlooker_role)

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def api_view(self, obj):
        return f"/api/resources/{self.url}/{obj.pk}/"

    def edit(self, obj) -> dict:
        raise NotImplementedError

    def writes(self, obj):
        return [
            Write("api", "patch", self.api_view(obj), self.edit(obj)),
            Write("api", "delete", self.api_view(obj)),
        ]


class TestTeamRules(_PlainCrud):
    basenames = ("resources-team",)
    url = "teams"

    def make(self, role_user):
        return TeamFactory()

    def page_view(self, obj):
        return obj.get_absolute_url()

    def edit(self, obj):
        return {"description": "Runs the databases."}


class TestPersonRules(_PlainCrud):
    basenames = ("resources-person",)
    url = "people"
    onlooker_role = "engineer"

    def make(self, role_user):
        return PersonFactory()

    def page_view(self, obj):
        return obj.get_absolute_url()

    def edit(self, obj):
        return {"title": "Principal engineer"}


class TestSkillRules(_PlainCrud):
    basenames = ("resources-skill",)
    url = "skills"
    onlooker_role = "executive"

    def make(self, role_user):
        return SkillFactory()

    def page_view(self, obj):
        return "/resources/skills/"

    def edit(self, obj):
        return {"category": "Data"}


class TestAbsenceRules(_PlainCrud):
    basenames = ("resources-absence",)
    url = "absences"
    onlooker_role = "engineer"

    def make(self, role_user):
        return AbsenceFactory()

    def page_view(self, obj):
        return obj.person.get_absolute_url()

    def edit(self, obj):
        return {"note": "Moved a week later", "end_date": str(obj.end_date + timedelta(days=7))}


class TestDemandRules(_PlainCrud):
    basenames = ("resources-demand",)
    url = "demands"

    def make(self, role_user):
        return DemandFactory()

    def edit(self, obj):
        return {"hours_per_week": "35"}


class TestConflictRules(ObjectRuleCase):
    """Conflicts are written by the engine; acknowledging one is the ITSM managers' and PMO
    leads'. An engineer sees it but may not acknowledge it, by the page or the API."""

    basenames = ("resources-conflict",)

    def make(self, role_user):
        person = PersonFactory(contracted_hours=Decimal(40))
        AllocationFactory(person=person, hours_per_week=Decimal(50))
        compute_and_publish()
        return Conflict.objects.filter(person=person).first()

    def onlooker(self, role_user, obj):
        return role_user("engineer")

    def toucher(self, role_user, obj):
        return role_user("itsm_manager")

    def page_view(self, obj):
        return f"/resources/conflicts/?subject_type=person&subject_id={obj.subject_id}"

    def api_view(self, obj):
        return f"/api/resources/conflicts/{obj.pk}/"

    def writes(self, obj):
        return [
            Write(
                "api",
                "post",
                f"/api/resources/conflicts/{obj.pk}/acknowledge/",
                {"comment": "Covered by the team."},
            ),
            Write(
                "page",
                "post",
                "/resources/conflicts/acknowledge/",
                {"conflict": [obj.pk], "comment": "Covered by the team."},
            ),
        ]

    def state(self, obj):
        return snapshot(obj, "acknowledged_by", "acknowledged_at", "acknowledgement")
