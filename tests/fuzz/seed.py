"""A few rows of every kind the API serves, so that a fuzzed `GET …/{id}/` finds something.

Made with the factories (and the services they call), so every row is one the portal could
have made; a capacity run publishes a snapshot with its conflicts and load cells.
"""

from datetime import timedelta

from django.utils import timezone

from resources.snapshot import compute_and_publish
from tests.changes.factories import (
    ChangeFactory,
    ChangeTemplateFactory,
    ConfigurationItemFactory,
    FreezeWindowFactory,
    advance,
)
from tests.factories import (
    CriterionFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PersonFactory,
    PersonSkillFactory,
    ProjectFactory,
    RiskFactory,
    ScoreFactory,
    ServiceFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
)
from tests.handover.factories import HandoverFactory, IncidentFactory, ProblemFactory
from tests.knowledge.factories import ArticleFactory, LessonFactory
from tests.portfolio.factories import BenefitFactory
from tests.resources.factories import AbsenceFactory, AllocationFactory, DemandFactory


def seed_api_rows(users: dict) -> None:
    """Two or three rows of each kind, some in later states, linked to the role `users`."""
    teams = [TeamFactory() for _ in range(2)]
    people = [PersonFactory(team=teams[i % 2]) for i in range(3)]
    PersonFactory(team=teams[0], user=users["engineer"])
    skills = [SkillFactory() for _ in range(2)]
    for person in people:
        PersonSkillFactory(person=person, skill=skills[0], level=4)
    services = [ServiceFactory(owning_team=teams[i % 2]) for i in range(2)]
    ObjectiveFactory.create_batch(2)
    criteria = [CriterionFactory() for _ in range(2)]
    projects = [
        ProjectFactory(owner=people[0], support_team=teams[0]),
        ProjectFactory(owner=people[1], support_team=teams[1]),
    ]
    for project in projects:
        MilestoneFactory(project=project)
        RiskFactory(project=project)
        BenefitFactory(project=project)
        ScoreFactory(project=project, criterion=criteria[0])
        AllocationFactory(project=project, person=people[0], hours_per_week=30)
        DemandFactory(project=project, skill=skills[0])
    AbsenceFactory(person=people[0])

    items = [ConfigurationItemFactory(service=services[0]) for _ in range(2)]
    ChangeTemplateFactory().items.set(items[:1])
    FreezeWindowFactory(start=timezone.now() + timedelta(days=40))
    requester = users["engineer"]
    ChangeFactory(requester=requester)
    advance(ChangeFactory(requester=requester, implemented=True), "authorize")
    advance(
        ChangeFactory(requester=requester, implemented=True, days=9),
        "scheduled",
        approver=users["itsm_manager"],
    )

    HandoverFactory(project=projects[0])
    problem = ProblemFactory()
    IncidentFactory(service=services[0], reporter=requester)
    IncidentFactory(service=services[1], reporter=requester, problem=problem)

    LessonFactory(author=requester, published=True)
    LessonFactory(author=requester)
    ArticleFactory(owner=requester, published=True)
    UserFactory()
    compute_and_publish()
