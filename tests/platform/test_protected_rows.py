"""Projects, changes and services that other records refer to are not deleted
(itsm_pmo/deletion.py): the API answers 409 naming what refers to them, the model refuses
whatever door the delete comes through (the admin lists changes; projects and services are
not in it), and nothing is deleted. Without references the delete still works."""

from datetime import date

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import timezone

from changes.models import ChangeRequest
from handover.incidents import services as incidents
from handover.models import Handover, Incident
from itsm_pmo.deletion import refusal_of_protected
from knowledge.models import Lesson
from portfolio.models import Project, Service
from resources.models import Allocation
from tests.changes.factories import ChangeFactory, ConfigurationItemFactory
from tests.factories import PersonFactory, ProjectFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _refused(answer, *referrers):
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert body["status"] == 409 and body["code"] == "protected"
    assert "cannot be deleted" in body["detail"] and "nothing was deleted" in body["detail"]
    for name in referrers:
        assert name in body["referenced_by"], body
    return body


def _change_on(project=None, **kw):
    return ChangeFactory(project=project, requester=UserFactory(roles=["engineer"]), **kw)


@pytest.mark.parametrize(
    "refer",
    ["change", "handover", "incident", "allocation", "lesson"],
)
def test_api_refuses_to_delete_a_project_others_refer_to(api, refer):
    # given a project that one record of another discipline refers to
    project = ProjectFactory(code="PRJ-REF")
    service = ServiceFactory()
    name = {
        "change": lambda: _change_on(project) and "change request",
        "handover": lambda: Handover.objects.create(project=project) and "handover",
        "incident": lambda: (
            incidents.incident_log(
                reporter=UserFactory(roles=["engineer"]),
                title="Down",
                project=project,
                service=service,
            )
            and "incident"
        ),
        "allocation": lambda: (
            Allocation.objects.create(
                person=PersonFactory(),
                project=project,
                hours_per_week=10,
                start_date=date(2030, 1, 7),
                end_date=date(2030, 2, 1),
            )
            and "allocation"
        ),
        "lesson": lambda: (
            Lesson.objects.create(title="Test the failover", author=UserFactory(), project=project)
            and "lesson"
        ),
    }[refer]()
    # when the PMO lead deletes it through the API
    answer = api.delete(f"/api/portfolio/projects/{project.pk}/")
    # then it is refused with the reason, and the project is still there
    body = _refused(answer, name)
    assert body["detail"].startswith("This project cannot be deleted: 1 ")
    assert Project.objects.filter(pk=project.pk).exists()


def test_api_deletes_a_project_nothing_refers_to(api):
    project = ProjectFactory()
    assert api.delete(f"/api/portfolio/projects/{project.pk}/").status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("refer", ["project", "item", "incident", "handover", "lesson"])
def test_api_refuses_to_delete_a_service_others_refer_to(api, refer):
    # given a service of the catalogue that one record refers to
    service = ServiceFactory(name="Payments")
    name = {
        "project": lambda: ProjectFactory().services.add(service) or "project",
        "item": lambda: ConfigurationItemFactory(service=service) and "configuration item",
        "incident": lambda: (
            incidents.incident_log(
                reporter=UserFactory(roles=["engineer"]), title="Down", service=service
            )
            and "incident"
        ),
        "handover": lambda: (
            Handover.objects.create(project=ProjectFactory(), service=service) and "handover"
        ),
        "lesson": lambda: (
            Lesson.objects.create(title="x", author=UserFactory(), service=service) and "lesson"
        ),
    }[refer]()
    # when the PMO lead, who manages the catalogue, deletes it
    answer = api.delete(f"/api/portfolio/services/{service.pk}/")
    # then it is refused with the reason, and the service is still there
    _refused(answer, name)
    assert Service.objects.filter(pk=service.pk).exists()


def test_api_deletes_a_service_nothing_refers_to(api):
    service = ServiceFactory(name="Retired fax gateway")
    assert api.delete(f"/api/portfolio/services/{service.pk}/").status_code == 204
    assert not Service.objects.filter(pk=service.pk).exists()


def test_api_never_deletes_a_change(api_clients, role_user):
    # given a change raised by the engineer
    change = ChangeFactory(requester=role_user("engineer"))
    # when its requester or a manager tries to delete it through the API
    for role in ("engineer", "itsm_manager", "pmo_lead"):
        answer = api_clients(role).delete(f"/api/changes/changes/{change.pk}/")
        # then the method is not offered: a change is cancelled, not deleted
        assert answer.status_code == 405
    assert ChangeRequest.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize(
    "model,make,referrer",
    [
        (Project, lambda: _change_on(ProjectFactory()).project, "change request"),
        (
            ChangeRequest,
            lambda: (
                Incident.objects.create(
                    title="Caused",
                    service=ServiceFactory(),
                    reporter=UserFactory(),
                    opened_at=timezone.now(),
                    caused_by_change=ChangeFactory(requester=UserFactory(roles=["engineer"])),
                ).caused_by_change
            ),
            "incident",
        ),
        (
            Service,
            lambda: ConfigurationItemFactory(service=ServiceFactory()).service,
            "configuration item",
        ),
    ],
    ids=["project", "change", "service"],
)
def test_a_referenced_row_is_refused_at_every_door_including_the_admin(model, make, referrer):
    # given a row another record refers to
    row = make()
    # when anything deletes it, however it got there (a service, a shell, a loader)
    with pytest.raises(ProtectedError) as refused:
        row.delete()
    # then nothing is deleted, and the reason names the record that holds it
    assert model.objects.filter(pk=row.pk).exists()
    detail, counts = refusal_of_protected(refused.value)
    assert referrer in " ".join(counts)
    # and the admin, where the model is there at all, refuses the delete for the same reason
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        request = RequestFactory().get("/")
        request.user = UserFactory(is_superuser=True, is_staff=True)
        *_, protected = model_admin.get_deleted_objects([row], request)
        assert any(str(p).lower().startswith(referrer) for p in protected), protected
