"""Change pages and the risk factors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes import services
from changes.models import ConfigurationItem, FreezeWindow
from changes.risk import assess
from tests.factories import PersonFactory, ServiceFactory, UserFactory
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import ChangeFactory, advance, soon

SOON = soon()  # where ChangeFactory plans its window


@pytest.mark.parametrize(
    ("kwargs", "score", "level"),
    [
        (
            dict(
                change_type="standard",
                most_critical_tier=4,
                collisions=0,
                in_freeze=False,
                has_backout_plan=True,
                implementer_peak_load=0.5,
            ),
            0,
            "low",
        ),
        (
            dict(
                change_type="normal",
                most_critical_tier=2,
                collisions=0,
                in_freeze=False,
                has_backout_plan=True,
                implementer_peak_load=1.1,
            ),
            4,
            "moderate",
        ),
        (
            dict(
                change_type="emergency",
                most_critical_tier=1,
                collisions=1,
                in_freeze=True,
                has_backout_plan=False,
                implementer_peak_load=1.4,
            ),
            13,
            "high",
        ),
    ],
)
def test_risk_factors_add_up(kwargs, score, level):
    result = assess(**kwargs)
    assert (result.score, result.level) == (score, level)
    assert all(f.label for f in result.factors)


@pytest.mark.django_db
def test_change_pages_role_rules_and_bounded_list(page_clients):
    change = ChangeFactory()
    for path in ["/changes/", change.get_absolute_url()]:
        assert_matrix(
            page_clients,
            "get",
            path,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=200,
            engineer=200,
            executive=200,
        )
    client = page_clients("itsm_manager")
    assert_constant_queries(
        lambda: client.get("/changes/"), lambda: [ChangeFactory(title=f"c{i}") for i in range(12)]
    )


@pytest.mark.django_db
def test_change_page_shows_impact_risk_freeze_and_collision(page_clients):
    FreezeWindow.objects.create(
        name="Year-end freeze", start=SOON - timedelta(days=1), end=SOON + timedelta(days=1)
    )
    change = ChangeFactory(title="Storage firmware", tier=1, implementer=PersonFactory())
    other = ChangeFactory(title="Other")
    other.items.set(change.items.all())
    html = page_clients("executive").get(change.get_absolute_url()).content.decode()
    assert "Year-end freeze" in html and "needs an exception" in html
    assert other.number in html
    assert "Touches a tier 1 service" in html and "Collides with 1 other change" in html
    assert "Window inside a change freeze" in html


@pytest.mark.django_db
def test_change_page_moves_the_change_for_its_requester_only(page_clients, role_user):
    engineer = role_user("engineer")
    change = ChangeFactory(requester=engineer, title="Kernel update")
    url = f"/changes/{change.pk}/transition/"
    client = page_clients("engineer")
    page = client.get(change.get_absolute_url()).content.decode()
    assert 'data-testid="move-assess"' in page
    client.post(url, {"to": "assess"})
    change.refresh_from_db()
    assert change.state == "assess"
    # refused by the workflow: 409 on the page it came from, with the reason, and no move
    refused = client.post(url, {"to": "authorize"})
    assert refused.status_code == 409 and "Name the implementer." in refused.content.decode()
    change.refresh_from_db()
    assert change.state == "assess"
    # another engineer may not move it; GET is refused
    other = UserFactory(roles=["engineer"])
    client.force_login(other)
    assert client.post(url, {"to": "new"}).status_code == 403
    assert page_clients("itsm_manager").get(url).status_code == 405


@pytest.mark.django_db
def test_risk_override_and_freeze_exception_from_the_page(page_clients):
    FreezeWindow.objects.create(
        name="Year-end freeze", start=SOON - timedelta(days=1), end=SOON + timedelta(days=1)
    )
    change = ChangeFactory()
    manager = page_clients("itsm_manager")
    assert (
        page_clients("engineer")
        .post(f"/changes/{change.pk}/risk/", {"level": "low", "reason": "x"})
        .status_code
        == 403
    )
    unexplained = manager.post(f"/changes/{change.pk}/risk/", {"level": "high", "reason": ""})
    assert unexplained.status_code == 400
    assert "Say why the assessed risk is overridden." in unexplained.content.decode()
    change.refresh_from_db()
    assert change.risk_override == ""
    manager.post(f"/changes/{change.pk}/risk/", {"level": "high", "reason": "Peak week"})
    change.refresh_from_db()
    assert (change.effective_risk, change.risk_override_reason) == ("high", "Peak week")
    assert (
        page_clients("engineer")
        .post(f"/changes/{change.pk}/freeze-exception/", {"reason": "Please"})
        .status_code
        == 403
    )
    page = manager.post(
        f"/changes/{change.pk}/freeze-exception/", {"reason": "Regulator"}, follow=True
    ).content.decode()
    assert "Exception granted by" in page and "Regulator" in page


@pytest.mark.django_db
def test_change_page_suggests_free_slots_when_the_window_collides(page_clients):
    change = ChangeFactory(title="Storage firmware")
    other = ChangeFactory(title="Other")
    other.items.set(change.items.all())
    page = page_clients("engineer").get(change.get_absolute_url()).content.decode()
    assert 'data-testid="slots"' in page and "Next free slots" in page
    lonely = ChangeFactory(title="Lonely")
    assert (
        'data-testid="slots"'
        not in page_clients("engineer").get(lonely.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_change_page_queries_stay_flat_as_its_history_grows(page_clients):
    change = ChangeFactory(title="Busy change", implementer=PersonFactory())
    services.change_transition(change=change, to="assess", by=change.requester)
    client = page_clients("itsm_manager")

    def grow():
        for i in range(5):
            item = ConfigurationItem.objects.create(name=f"dep-{i}", service=ServiceFactory())
            item.depends_on.add(*change.items.all())
            change.items.add(ConfigurationItem.objects.create(name=f"more-{i}"))
        services.change_transition(change=change, to="new", by=change.requester)
        services.change_transition(change=change, to="assess", by=change.requester)

    assert_constant_queries(lambda: client.get(change.get_absolute_url()), grow)


@pytest.mark.django_db
def test_change_page_leaves_scheduling_to_the_cab(page_clients):
    # given a change waiting for the CAB, opened by its requester
    change = advance(ChangeFactory(implemented=True), "authorize")
    client = page_clients("engineer")
    client.force_login(change.requester)
    html = client.get(change.get_absolute_url()).content.decode()
    # then the page offers the table's other moves, with their labels, but not the CAB's
    assert 'data-testid="move-new"' in html and "Withdraw to new" in html
    assert 'data-testid="move-cancelled"' in html
    assert 'data-testid="move-scheduled"' not in html
    # and an engineer who is not on the change sees no moves at all
    assert (
        'data-testid="move-new"'
        not in page_clients("engineer").get(change.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_change_edit_page_for_whoever_works_on_a_draft(page_clients):
    # given a draft change
    change = ChangeFactory(implemented=True)
    url = f"/changes/{change.pk}/edit/"
    requester = page_clients("engineer")
    requester.force_login(change.requester)
    # then its requester gets the form, another engineer and an executive do not
    assert requester.get(url).status_code == 200
    assert page_clients("engineer").get(url).status_code == 403
    assert page_clients("executive").get(url).status_code == 403
    # once it went to the CAB, the form is refused as the API refuses the edit: 409
    advance(change, "authorize")
    late = requester.get(url)
    assert late.status_code == 409 and "send it back to new first" in late.content.decode()


@pytest.mark.django_db
def test_change_pages_show_the_shared_state_badge(page_clients):
    change = advance(ChangeFactory(implemented=True), "scheduled")
    client = page_clients("executive")
    badge = 'class="state-badge state-change-scheduled" data-testid="state">Scheduled</span>'
    assert badge in client.get("/changes/").content.decode()
    assert badge in client.get(change.get_absolute_url()).content.decode()
    week = f"/changes/calendar/?view=week&date={timezone.localtime(change.planned_start):%Y-%m-%d}"
    assert badge in client.get(week).content.decode()
