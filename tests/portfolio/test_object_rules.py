"""Object rules of the portfolio, tried from both doors: an engineer who works on a project (so
sees it) or an executive may read it but not touch it; a PMO lead may.

One case per writable viewset of `portfolio/api/urls.py`, plus the project page's POST
actions (edit, move, scores, milestone and risk forms) and the ranking's saved weights.
"""

from decimal import Decimal

from portfolio.models import Criterion, Project, Score
from resources.models import Person
from tests.factories import (
    CriterionFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PersonFactory,
    ProjectFactory,
    RiskFactory,
    ScoreFactory,
    ServiceFactory,
    TeamFactory,
)
from tests.portfolio.factories import BenefitFactory, CostFactory
from tests.support.object_rules import ObjectRuleCase, Write, snapshot

API = "/api/portfolio"


def engineer_on(role_user, project: Project) -> object:
    """The engineer role's user, made the project's owner so that they see it."""
    user = role_user("engineer")
    person = Person.objects.filter(user=user).first() or PersonFactory(user=user)
    Project.objects.filter(pk=project.pk).update(owner=person)
    return user


def project_state(project: Project) -> dict:
    if not Project.objects.filter(pk=project.pk).exists():
        return {"row": None}  # deleted
    return snapshot(
        project, related=("transitions", "scores", "milestones", "risks", "benefits", "costs")
    )


class TestProjectRules(ObjectRuleCase):
    """A project: edit, delete and move it by the API; edit, move, score and plan it by its
    page. The engineer who owns it sees it and may do none of these."""

    basenames = ("portfolio-project",)

    def make(self, role_user):
        Criterion.objects.get_or_create(name="Value")
        return ProjectFactory(owner=PersonFactory(), sponsor="COO")

    def onlooker(self, role_user, obj):
        return engineer_on(role_user, obj)

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def page_view(self, obj):
        return obj.get_absolute_url()

    def api_view(self, obj):
        return f"{API}/projects/{obj.pk}/"

    def writes(self, obj):
        page = f"/portfolio/projects/{obj.pk}"
        value = Criterion.objects.get(name="Value")
        return [
            Write("api", "patch", f"{API}/projects/{obj.pk}/", {"name": "Renamed"}),
            Write("api", "put", f"{API}/projects/{obj.pk}/", {"code": obj.code, "name": "Put"}),
            Write("api", "delete", f"{API}/projects/{obj.pk}/"),
            Write(
                "api",
                "post",
                f"{API}/projects/{obj.pk}/transition/",
                {"to": "on_hold", "comment": "Budget"},
            ),
            Write(
                "page", "post", f"{page}/edit/", {"code": obj.code, "name": "R", "health": "red"}
            ),
            Write("page", "post", f"{page}/transition/", {"to": "on_hold", "comment": "Budget"}),
            Write("page", "post", f"{page}/scores/", {f"c{value.pk}-value": "4"}),
            Write(
                "page",
                "post",
                f"{page}/milestones/new/",
                {"name": "Go-live", "kind": "go_live", "due_date": "2027-03-01"},
            ),
            Write(
                "page",
                "post",
                f"{page}/risks/new/",
                {"title": "Slip", "likelihood": 3, "impact": 3},
            ),
        ]

    def state(self, obj):
        return project_state(obj)


class TestScoreRules(ObjectRuleCase):
    """A score: set, change and clear it by the API (the scores page is tried above)."""

    basenames = ("portfolio-score",)

    def make(self, role_user):
        score = ScoreFactory(value=3)
        score.other_criterion = CriterionFactory()  # one the project has no score on
        return score

    def onlooker(self, role_user, obj):
        return engineer_on(role_user, obj.project)

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def api_view(self, obj):
        return f"{API}/scores/{obj.pk}/"

    def writes(self, obj):
        other = obj.other_criterion
        return [
            Write("api", "patch", f"{API}/scores/{obj.pk}/", {"value": 5}),
            Write("api", "delete", f"{API}/scores/{obj.pk}/"),
            Write(
                "api",
                "post",
                f"{API}/scores/",
                {"project": obj.project_id, "criterion": other.pk, "value": 2},
            ),
        ]

    def state(self, obj):
        return list(Score.objects.filter(project=obj.project_id).values_list("criterion", "value"))


class _ChildRules(ObjectRuleCase):
    """A row of a project's plan, seen by the engineer who owns the project."""

    endpoint = ""

    def onlooker(self, role_user, obj):
        return engineer_on(role_user, obj.project)

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def api_view(self, obj):
        return f"{API}/{self.endpoint}/{obj.pk}/"

    def state(self, obj):
        return project_state(obj.project) | {"row": snapshot(obj)["row"]}


class TestMilestoneRules(_ChildRules):
    basenames = ("portfolio-milestone",)
    endpoint = "milestones"

    def make(self, role_user):
        return MilestoneFactory(name="Build", kind="build")

    def writes(self, obj):
        body = {"project": obj.project_id, "name": "Go", "kind": "go_live", "due_date": "2027-3-1"}
        return [
            Write("api", "patch", f"{API}/milestones/{obj.pk}/", {"name": "Built"}),
            Write("api", "delete", f"{API}/milestones/{obj.pk}/"),
            Write("api", "post", f"{API}/milestones/", body),
        ]


class TestRiskRules(_ChildRules):
    basenames = ("portfolio-risk",)
    endpoint = "risks"

    def make(self, role_user):
        return RiskFactory()

    def writes(self, obj):
        body = {"project": obj.project_id, "title": "New", "likelihood": 2, "impact": 2}
        return [
            Write("api", "patch", f"{API}/risks/{obj.pk}/", {"status": "closed"}),
            Write("api", "delete", f"{API}/risks/{obj.pk}/"),
            Write("api", "post", f"{API}/risks/", body),
        ]


class TestBenefitRules(_ChildRules):
    """A benefit: written through its services by the API and the project page's forms; the
    onlooker is the executive, who reads but writes no benefit."""

    basenames = ("portfolio-benefit",)
    endpoint = "benefits"

    def make(self, role_user):
        return BenefitFactory()

    def onlooker(self, role_user, obj):
        return role_user("executive")

    def page_view(self, obj):
        return obj.project.get_absolute_url()

    def writes(self, obj):
        body = {"project": obj.project_id, "description": "B", "measure": "m", "target": "t"}
        page = {"description": "Shorter queues", "measure": "minutes", "target": "5"}
        return [
            Write("api", "patch", f"{API}/benefits/{obj.pk}/", {"realised": "-20 %"}),
            Write("api", "delete", f"{API}/benefits/{obj.pk}/"),
            Write("api", "post", f"{API}/benefits/", body),
            Write("page", "post", f"/portfolio/projects/{obj.project_id}/benefits/new/", page),
            Write("page", "post", f"/portfolio/benefits/{obj.pk}/edit/", page),
            Write("page", "post", f"/portfolio/benefits/{obj.pk}/realisation/", {"realised": "4"}),
        ]


class TestCostRules(_ChildRules):
    """A month's cost: written through its services by the API and the project page's forms;
    the onlooker is the executive, who reads the costs but records none."""

    basenames = ("portfolio-cost",)
    endpoint = "costs"

    def make(self, role_user):
        return CostFactory()

    def onlooker(self, role_user, obj):
        return role_user("executive")

    def page_view(self, obj):
        return obj.project.get_absolute_url()

    def writes(self, obj):
        body = {"project": obj.project_id, "month": "2026-04-01", "kind": "capital", "amount": 9}
        page = {"month": "2026-05", "kind": "capital", "amount": "9"}
        return [
            Write("api", "patch", f"{API}/costs/{obj.pk}/", {"amount": "1.00"}),
            Write("api", "delete", f"{API}/costs/{obj.pk}/"),
            Write("api", "post", f"{API}/costs/", body),
            Write("page", "post", f"/portfolio/projects/{obj.project_id}/costs/new/", page),
            Write("page", "post", f"/portfolio/costs/{obj.pk}/edit/", page),
            Write("page", "post", f"/portfolio/costs/{obj.pk}/delete/", {}),
        ]


class TestCriterionRules(ObjectRuleCase):
    """The scoring model: the API's criteria and the ranking page's saved weights."""

    basenames = ("portfolio-criterion",)

    def make(self, role_user):
        CriterionFactory(weight=Decimal("2"))  # so that one may go
        return CriterionFactory(weight=Decimal("1"))

    def onlooker(self, role_user, obj):
        return role_user("executive")

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def page_view(self, obj):
        return "/portfolio/ranking/"

    def api_view(self, obj):
        return f"{API}/criteria/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "patch", f"{API}/criteria/{obj.pk}/", {"weight": "3"}),
            Write("api", "delete", f"{API}/criteria/{obj.pk}/"),
            Write("api", "post", f"{API}/criteria/", {"name": "Urgency", "weight": "1"}),
            Write("page", "post", "/portfolio/ranking/weights/", {f"w{obj.pk}": "4"}),
        ]

    def state(self, obj):
        return list(Criterion.objects.order_by("pk").values_list("name", "weight"))


class TestObjectiveRules(ObjectRuleCase):
    """Plain CRUD: the onlooker is the executive."""

    basenames = ("portfolio-objective",)

    def make(self, role_user):
        return ObjectiveFactory()

    def onlooker(self, role_user, obj):
        return role_user("executive")

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def api_view(self, obj):
        return f"{API}/objectives/{obj.pk}/"

    def writes(self, obj):
        return [
            Write("api", "patch", f"{API}/objectives/{obj.pk}/", {"active": False}),
            Write("api", "delete", f"{API}/objectives/{obj.pk}/"),
            Write("api", "post", f"{API}/objectives/", {"name": "Grow", "weight": 3}),
        ]

    def state(self, obj):
        return list(type(obj).objects.order_by("pk").values_list("name", "active"))


class TestServiceRules(ObjectRuleCase):
    """Plain CRUD: the onlooker is the executive."""

    basenames = ("portfolio-service",)

    def make(self, role_user):
        return ServiceFactory()

    def onlooker(self, role_user, obj):
        return role_user("executive")

    def toucher(self, role_user, obj):
        return role_user("pmo_lead")

    def api_view(self, obj):
        return f"{API}/services/{obj.pk}/"

    def writes(self, obj):
        team = TeamFactory()
        return [
            Write("api", "patch", f"{API}/services/{obj.pk}/", {"tier": 1}),
            Write("api", "delete", f"{API}/services/{obj.pk}/"),
            Write("api", "post", f"{API}/services/", {"name": "Mail", "owning_team": team.pk}),
        ]

    def state(self, obj):
        return list(type(obj).objects.order_by("pk").values_list("name", "tier"))
