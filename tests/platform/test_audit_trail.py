"""The audit trail is append-only: a recorded move is never changed or deleted."""

import pytest

from itsm_pmo.admin import TransitionRecordAdmin
from itsm_pmo.models import AuditTrailIsAppendOnly, TransitionRecord


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


@pytest.mark.parametrize("model", _concrete_trails(), ids=lambda m: m.__name__)
def test_admin_shows_the_audit_trail_read_only(model):
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    assert isinstance(model_admin, TransitionRecordAdmin), f"{model.__name__} not registered"
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
