"""seed_demo: a believable organisation, deterministic and idempotent."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from resources.models import Person, PersonSkill, Team

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Team.objects.values_list("name", "kind", "manager__email")),
        sorted(Person.objects.values_list("email", "name", "team__name", "contracted_hours")),
        sorted(PersonSkill.objects.values_list("person__email", "skill__name", "level")),
    )


def test_seed_demo_builds_the_organisation_and_demo_users(monkeypatch, capsys):
    # given a password from the environment
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    # when
    call_command("seed_demo")
    # then
    names = set(Team.objects.values_list("name", flat=True))
    assert {
        "Service Desk",
        "Network",
        "Database",
        "Platform",
        "Application Development",
        "Security",
    } <= names
    assert 55 <= Person.objects.count() <= 70
    assert PersonSkill.objects.count() >= Person.objects.count() * 2
    for username in ("pmo_lead", "itsm_manager", "engineer", "executive", "admin"):
        assert authenticate(username=username, password="s3cret-demo"), username
    assert authenticate(username="admin", password="s3cret-demo").is_superuser
    out = capsys.readouterr().out
    assert "pmo_lead" in out and "s3cret-demo" in out


def test_seed_demo_is_idempotent_and_deterministic():
    # when run twice
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    # then nothing is duplicated or changed
    assert snapshot() == first


def test_seed_demo_scale_multiplies_the_sizes():
    call_command("seed_demo")
    base = Person.objects.count()
    call_command("seed_demo", "--scale", "3")
    assert Team.objects.count() == 21
    assert Person.objects.count() == (base - 3) * 3 + 3


def test_seed_demo_people_have_distinct_names():
    call_command("seed_demo")
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))


def test_seed_demo_shows_every_kind_of_conflict_the_engine_knows():
    from resources.choices import ConflictKind
    from resources.selectors import conflicts_in
    from resources.snapshot import compute_and_publish

    # given the demo
    call_command("seed_demo")
    # when the plan is computed
    snapshot = compute_and_publish()
    # then each kind of conflict shows at least once, a go-live inside a freeze among them
    kinds = set(conflicts_in(snapshot).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(ConflictKind.values)
    payroll = conflicts_in(snapshot).get(kind=ConflictKind.GO_LIVE_IN_FREEZE)
    assert payroll.subject_label.startswith("PRJ-0111") and "Year-end" in payroll.message


def test_seed_demo_tells_the_capacity_story_of_the_executive_view():
    from itsm_pmo.dashboard.capacity import burnout_metric, top_quarter_hours_share
    from resources.models import TeamLoad
    from resources.selectors import first_week_index, longest_run_above
    from resources.snapshot import compute_and_publish

    call_command("seed_demo")
    snapshot = compute_and_publish()
    # The database team's cut-over rehearsals: above 100 % for four weeks running or more
    # within the next 12 weeks, so people are at risk of burning out.
    window = slice(first_week_index(snapshot), first_week_index(snapshot) + 12)
    database = TeamLoad.objects.get(snapshot=snapshot, team__name="Database")
    load = [
        p + o for p, o in zip(database.project[window], database.operational[window], strict=True)
    ]
    assert longest_run_above(database.capacity[window], load) >= 4
    assert burnout_metric().value > 0
    # The top-ranked quarter gets some of the booked project hours, not none nor all.
    assert 0 < top_quarter_hours_share().value < 100
