"""The demo's year of history for the executive view: deterministic, idempotent, and telling
the story the charts need (issue 16)."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from portfolio import selectors
from portfolio.choices import BASELINED_STAGES
from portfolio.models import Benefit, Milestone, Project, ProjectCost

pytestmark = pytest.mark.django_db


def history_state():
    history = Milestone.history.model
    return (
        sorted(ProjectCost.objects.values_list("project__code", "month", "kind", "amount")),
        sorted(Milestone.objects.values_list("project__code", "name", "due_date", "baseline_date")),
        sorted(history.objects.values_list("project__code", "name", "history_type", "due_date")),
        sorted(
            Benefit.objects.values_list(
                "project__code", "description", "unit", "target_value", "realised_value"
            )
        ),
    )


def test_demo_history_is_idempotent_and_deterministic():
    call_command("seed_demo")
    first = history_state()
    call_command("seed_demo")
    assert history_state() == first


def test_demo_history_tells_the_story():
    call_command("seed_demo")
    late = Project.objects.get(code="PRJ-0104")
    # late: its go-live re-planned twice, twelve weeks past the baseline, the baseline gone by
    go_live = late.milestones.get(kind="go_live")
    assert (go_live.due_date - go_live.baseline_date).days == 84
    replans = selectors.replans_by_project()
    assert replans[late.pk] == 6  # build, go-live and close, each moved twice
    assert max(replans, key=replans.get) == late.pk
    # over budget
    spent = late.costs.aggregate(total=Sum("amount"))["total"]
    assert spent > late.budget
    others = Project.objects.filter(costs__isnull=False).exclude(pk=late.pk).distinct()
    assert others.count() >= 4
    for project in others:
        assert project.costs.aggregate(total=Sum("amount"))["total"] <= project.budget
    # every milestone of an approved project has a baseline, no proposal's has one
    assert not Milestone.objects.filter(
        project__stage__in=BASELINED_STAGES, baseline_date__isnull=True
    ).exists()
    assert not Milestone.objects.filter(project__stage="proposed").exclude(
        baseline_date__isnull=True
    )
    # a benefit not realised, beside realised ones
    headline = Benefit.objects.filter(realised_value__isnull=False)
    assert headline.filter(project__code="PRJ-0117", realised_value=Decimal(0)).exists()
    # the others reached their −30 % target (a reduction: at or below it)
    assert headline.filter(realised_value=Decimal(-32)).exists()
    assert not headline.filter(selectors.benefit_reached(), project__code="PRJ-0117").exists()
    assert headline.exclude(project__code="PRJ-0117").filter(selectors.benefit_reached()).exists()
    _the_dashboard_tells_it()


def _the_dashboard_tells_it():
    """The executive view over the year to today: a late project, one over budget, re-plans,
    a benefit not realised, objectives whose budget share is off their weight share."""
    from datetime import timedelta

    from django.utils import timezone

    from itsm_pmo.dashboard.alignment import alignment_rows, benefit_table
    from itsm_pmo.dashboard.metrics import budget_by_project, delivery_metrics, most_replanned
    from itsm_pmo.dashboard.period import Period

    today = timezone.localdate()
    year = Period(today - timedelta(days=364), today)
    metrics = {m.key: m for m in delivery_metrics(year)}
    assert metrics["projects_late"].value >= 1
    assert metrics["projects_over_budget"].value == 1
    assert budget_by_project(year)[0].label.startswith("PRJ-0104")
    assert most_replanned(year)[0].label.startswith("PRJ-0104")
    assert metrics["replans_per_project"].value > 0
    not_realised = [row.code for row in benefit_table(year) if not row.reached]
    assert "PRJ-0117" in not_realised
    assert any(row.reached for row in benefit_table(year))
    skew = [abs(r.budget_share - r.weight_share) for r in alignment_rows(year)]
    assert max(skew) >= 5
