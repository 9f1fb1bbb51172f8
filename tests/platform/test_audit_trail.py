"""The audit trail is append-only: a recorded move is never changed or deleted."""

import pytest

from changes import services
from changes.models import ChangeTransition
from itsm_pmo.admin import TransitionRecordAdmin
from itsm_pmo.models import OPENED, AuditTrailIsAppendOnly, NotAMove, TransitionRecord
from tests.changes.factories import ChangeFactory
from tests.factories import UserFactory


def _concrete_trails():
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TransitionRecord)]


def test_every_workflow_records_its_moves_in_the_shared_trail():
    names = {model.__name__ for model in _concrete_trails()}
    assert names == {
        "ProjectTransition",
        "ChangeTransition",
        "HandoverTransition",
        "IncidentTransition",
        "ProblemTransition",
        "MajorIncidentTransition",
        "LessonTransition",
        "ArticleTransition",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", _concrete_trails(), ids=lambda m: m.__name__)
def test_audit_trail_refuses_update_and_delete(model):
    # given a trail with no rows (the refusal needs none)
    rows = model.objects.all()
    # then neither a queryset update nor a delete is possible
    with pytest.raises(AuditTrailIsAppendOnly):
        rows.update(comment="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        rows.delete()
    # and a row once saved cannot be saved again or deleted
    row = model(from_state="a", to_state="b")
    row._state.adding = False
    with pytest.raises(AuditTrailIsAppendOnly):
        row.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        row.delete()


@pytest.mark.django_db
@pytest.mark.parametrize("model", _concrete_trails(), ids=lambda m: m.__name__)
def test_audit_trail_refuses_a_move_from_a_state_to_itself(model):
    # a record from a state to the same state is refused before it is written
    with pytest.raises(NotAMove):
        model(from_state="planning", to_state="planning").save()
    assert not model.objects.exists()
    # and an opening is not a move: it says so
    assert model(from_state=OPENED, to_state="planning").opened
    assert not model(from_state="a", to_state="b").opened


@pytest.mark.parametrize("model", _concrete_trails(), ids=lambda m: m.__name__)
def test_admin_shows_the_audit_trail_read_only(model):
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    assert isinstance(model_admin, TransitionRecordAdmin), f"{model.__name__} not registered"
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


@pytest.mark.django_db
def test_admin_refuses_to_alter_or_delete_an_audit_row_even_for_a_superuser(client):
    # given a change that moved once, and a superuser in the admin
    change = ChangeFactory(requester=UserFactory(roles=["engineer"]))
    services.change_transition(change=change, to="assess", by=change.requester)
    row = ChangeTransition.objects.get(change=change)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/changes/changetransition/{row.pk}/"
    # when they open the row, post a rewritten one, and try to delete it
    shown = client.get(f"{url}change/")
    rewritten = client.post(f"{url}change/", {"from_state": "new", "to_state": "closed"})
    deleted = client.post(f"{url}delete/", {"post": "yes"})
    # and try to delete the change, which would take its trail with it
    change_deleted = client.post(
        f"/admin/changes/changerequest/{change.pk}/delete/", {"post": "yes"}
    )
    # then the row is shown and every write is refused
    assert shown.status_code == 200
    assert (rewritten.status_code, deleted.status_code, change_deleted.status_code) == (
        403,
        403,
        403,
    )
    assert list(
        ChangeTransition.objects.filter(change=change).values_list("from_state", "to_state")
    ) == [("new", "assess")]
