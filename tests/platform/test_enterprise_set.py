"""The enterprise data set (bench/enterprise) at a twentieth of its size, and seed_demo --scale N
giving the copies of the organisation changes, incidents and handovers in proportion."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F

from bench import enterprise
from bench.enterprise.base import ENTERPRISE
from bench.enterprise.demo_volume import PER_COPY
from changes.choices import ChangeState, ChangeType
from changes.models import ChangeRequest
from handover.choices import HandoverState, IncidentState
from handover.models import Handover, Incident, Problem
from itsm_pmo.models import TransitionRecord
from portfolio.choices import Stage
from portfolio.models import Project
from resources.models import Person, Team

pytestmark = pytest.mark.django_db

SCALE = 0.05


def test_the_set_has_the_promised_size_and_every_state():
    # when
    built = enterprise.build(scale=SCALE, seed=7)
    # then every volume is a twentieth of the enterprise one (the demo's rows count towards it)
    counts = built["counts"]
    for name in ("teams", "people", "projects", "allocations", "changes", "handovers"):
        assert counts[name] == round(getattr(ENTERPRISE, name) * SCALE), name
    for name in ("incidents", "lessons", "articles", "demands"):
        assert counts[name] == round(getattr(ENTERPRISE, name) * SCALE), name
    assert counts["work_logs"] > counts["incidents"]
    assert counts["change_transitions"] > 3 * counts["changes"]
    assert counts["approvals"] and counts["reviews"] and counts["problems"]
    # in every state and type
    for model, field, choices in (
        (Project, "stage", Stage),
        (ChangeRequest, "change_type", ChangeType),
        (ChangeRequest, "state", ChangeState),
        (Incident, "state", IncidentState),
        (Handover, "state", HandoverState),
    ):
        assert set(model.objects.values_list(field, flat=True)) == set(choices.values), field
    assert not ChangeRequest.objects.filter(number__isnull=True).exists()
    # no trail shows a move from a state to itself (an opening is recorded as one)
    for trail in (m for m in apps.get_models() if issubclass(m, TransitionRecord)):
        assert not trail.objects.filter(from_state=F("to_state")).exists(), trail.__name__
    # every role signs in, and the demo engineer has work of her own
    for username in ("pmo_lead", "itsm_manager", "engineer", "executive"):
        assert authenticate(username=username, password="demo"), username
    elena = Person.objects.get(user__username="engineer")
    assert Incident.objects.filter(assignee=elena).count() >= 1
    assert ChangeRequest.objects.filter(implementer=elena).count() >= 2
    # and a second call reuses the set instead of building it again
    assert enterprise.ensure(scale=SCALE, seed=7) == enterprise.counts()
    assert enterprise.existing()["seconds"] == {k: round(v, 2) for k, v in built["seconds"].items()}


def test_the_set_refuses_a_database_with_data_of_its_own():
    Team.objects.create(name="Someone else's team")
    with pytest.raises(enterprise.NotDedicated):
        enterprise.ensure(scale=SCALE)
    assert Team.objects.count() == 1


def test_seed_demo_scale_gives_the_copies_changes_incidents_and_handovers():
    call_command("seed_demo")
    demo = (ChangeRequest.objects.count(), Incident.objects.count(), Handover.objects.count())

    call_command("seed_demo", "--scale", "2")
    scaled = (ChangeRequest.objects.count(), Incident.objects.count(), Handover.objects.count())
    assert scaled == (
        demo[0] + PER_COPY["changes"],
        demo[1] + PER_COPY["incidents"],
        demo[2] * 2,  # the copy's projects reach their handovers as the demo's do
    )
    assert Problem.objects.count() > 1
    assert Person.objects.filter(team__name="Platform 2", user__isnull=False).exists()

    # idempotent: a second run makes the same again, and the demo itself is untouched
    call_command("seed_demo", "--scale", "2")
    assert (
        ChangeRequest.objects.count(),
        Incident.objects.count(),
        Handover.objects.count(),
    ) == scaled
    call_command("seed_demo")
    assert (
        ChangeRequest.objects.count(),
        Incident.objects.count(),
        Handover.objects.count(),
    ) == demo
