"""The stage log is a TransitionRecord: append-only, read-only in the admin, back-dated by
the demo, and re-seeded without deleting through the application."""

from datetime import timedelta

import pytest
from django.utils import timezone

from itsm_pmo.models import AuditTrailIsAppendOnly
from portfolio.models import ProjectTransition
from portfolio.services import project_transition
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_stage_log_is_append_only(role_user):
    # given a recorded move
    project = ProjectFactory()
    project_transition(project=project, to="on_hold", by=role_user("pmo_lead"), comment="Wait")
    record = project.transitions.get()
    # when / then: no change and no delete, one row or many
    record.comment = "Rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        record.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        record.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        ProjectTransition.objects.filter(pk=record.pk).update(comment="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        project.transitions.all().delete()
    assert ProjectTransition.objects.get().comment == "Wait"


def test_stage_log_goes_with_its_project(role_user):
    # given a project with a move
    project = ProjectFactory()
    project_transition(project=project, to="on_hold", by=role_user("pmo_lead"), comment="Wait")
    # when the project is deleted, then its log goes with it (a database cascade)
    project.delete()
    assert not ProjectTransition.objects.exists()


def test_stage_log_is_read_only_in_the_admin(client, role_user):
    # given a superuser and a recorded move
    project = ProjectFactory()
    project_transition(project=project, to="on_hold", by=role_user("pmo_lead"), comment="Wait")
    record = project.transitions.get()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    base = "/admin/portfolio/projecttransition/"
    # when / then: listed and shown, never added, changed or deleted
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{record.pk}/change/").status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{record.pk}/change/", {"comment": "x"}).status_code == 403
    assert client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ProjectTransition.objects.get().comment == "Wait"


def test_demo_writes_a_back_dated_stage_log_and_reseeds_it(settings):
    # given the demo seeded once
    from itsm_pmo.demo import seed_demo

    seed_demo(scale=1, password="pw")
    first = list(ProjectTransition.objects.values_list("project__code", "to_state", "at"))
    # when it is seeded again
    seed_demo(scale=1, password="pw")
    # then the log was rewritten, not doubled, and its moves lie in the past, weeks apart
    again = list(ProjectTransition.objects.values_list("project__code", "to_state"))
    assert sorted(again) == sorted((code, to) for code, to, _ in first)
    assert all(at < timezone.now() - timedelta(days=13) for _, _, at in first)
