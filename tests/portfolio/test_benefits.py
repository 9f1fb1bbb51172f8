"""Benefits on the project page: added, edited and their realisation recorded by a PMO lead,
through the same services as the API; everyone else reads them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portfolio import services
from portfolio.models import Benefit
from tests.factories import PersonFactory, ProjectFactory
from tests.portfolio.factories import BenefitFactory
from tests.support.permissions import assert_matrix

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PLAN = {"description": "Shorter queues", "measure": "minutes to answer", "target": "5"}


def state(benefit: Benefit) -> dict:
    return Benefit.objects.filter(pk=benefit.pk).values().first()


# --- the services ----------------------------------------------------------------------------


def test_benefit_realisation_is_recorded_today_unless_said(role_user):
    # given a benefit not realised yet
    benefit = BenefitFactory()
    lead = role_user("pmo_lead")
    # when its realisation is recorded without a date, then it is today's
    services.benefit_record_realisation(benefit=benefit, by=lead, realised=" −22 % ")
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.realised_on) == ("−22 %", TODAY)
    # and with a date, that day's
    services.benefit_record_realisation(
        benefit=benefit, by=lead, realised="−25 %", realised_on=TODAY - timedelta(days=3)
    )
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.realised_on) == ("−25 %", TODAY - timedelta(days=3))


@pytest.mark.parametrize(
    ("realised", "realised_on", "field"),
    [
        ("−22 %", TODAY + timedelta(days=1), "realised_on"),  # not after today
        ("", TODAY, "realised"),  # a value is what is recorded
        ("   ", None, "realised"),
    ],
)
def test_benefit_realisation_refused_names_the_field_and_saves_nothing(
    role_user, realised, realised_on, field
):
    benefit = BenefitFactory()
    before = state(benefit)
    with pytest.raises(ValidationError) as refused:
        services.benefit_record_realisation(
            benefit=benefit, by=role_user("pmo_lead"), realised=realised, realised_on=realised_on
        )
    assert list(refused.value.message_dict) == [field]
    assert state(benefit) == before


def test_benefit_realisation_on_today_is_the_last_day_allowed(role_user):
    benefit = BenefitFactory()
    services.benefit_record_realisation(
        benefit=benefit, by=role_user("pmo_lead"), realised="9", realised_on=TODAY
    )
    benefit.refresh_from_db()
    assert benefit.realised_on == TODAY


def test_benefit_update_keeps_a_date_with_its_value(role_user):
    # a date without a value says nothing, and is refused; clearing both is "not realised"
    benefit = BenefitFactory(realised="−10 %", realised_on=TODAY)
    lead = role_user("pmo_lead")
    with pytest.raises(ValidationError) as refused:
        services.benefit_update(benefit=benefit, by=lead, fields={"realised": ""})
    assert list(refused.value.message_dict) == ["realised"]
    services.benefit_update(benefit=benefit, by=lead, fields={"realised": "", "realised_on": None})
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.realised_on) == ("", None)


@pytest.mark.parametrize("role", ["engineer", "itsm_manager", "executive"])
def test_benefit_writes_are_a_pmo_leads(role_user, role):
    project = ProjectFactory()
    benefit = BenefitFactory(project=project)
    user = role_user(role)
    before = state(benefit)
    with pytest.raises(PermissionDenied):
        services.benefit_create(project=project, by=user, fields=PLAN)
    with pytest.raises(PermissionDenied):
        services.benefit_update(benefit=benefit, by=user, fields={"target": "1"})
    with pytest.raises(PermissionDenied):
        services.benefit_record_realisation(benefit=benefit, by=user, realised="1")
    with pytest.raises(PermissionDenied):
        services.benefit_delete(benefit=benefit, by=user)
    assert state(benefit) == before and project.benefits.count() == 1


def test_benefit_owner_is_an_active_person_or_the_one_it_has(role_user):
    lead = role_user("pmo_lead")
    left = PersonFactory(active=False)
    with pytest.raises(ValidationError) as refused:
        services.benefit_create(project=ProjectFactory(), by=lead, fields={**PLAN, "owner": left})
    assert "has left" in refused.value.message_dict["owner"][0]
    kept = BenefitFactory(owner=left)
    services.benefit_update(benefit=kept, by=lead, fields={"target": "4"})  # still theirs
    kept.refresh_from_db()
    assert kept.owner == left and kept.target == "4"


# --- the project page -------------------------------------------------------------------------


def test_project_page_offers_benefit_forms_to_pmo_leads_only(page_clients):
    benefit = BenefitFactory()
    url = benefit.project.get_absolute_url()
    lead = page_clients("pmo_lead").get(url).content.decode()
    assert 'data-testid="add-benefit"' in lead
    assert f"/portfolio/benefits/{benefit.pk}/realisation/" in lead
    assert f"/portfolio/benefits/{benefit.pk}/edit/" in lead
    for role in ("engineer", "itsm_manager", "executive"):
        html = page_clients(role).get(url).content.decode()
        assert "Fewer incidents" in html  # everyone reads the benefits
        assert 'data-testid="add-benefit"' not in html and "/realisation/" not in html


def test_benefit_pages_open_to_pmo_leads_only(page_clients):
    benefit = BenefitFactory()
    for url in (
        f"/portfolio/projects/{benefit.project_id}/benefits/new/",
        f"/portfolio/benefits/{benefit.pk}/edit/",
        f"/portfolio/benefits/{benefit.pk}/realisation/",
    ):
        assert_matrix(
            page_clients,
            "get",
            url,
            anonymous=302,
            pmo_lead=200,
            itsm_manager=403,
            engineer=403,
            executive=403,
        )


def test_benefit_added_and_edited_from_the_project_page(page_clients):
    project = ProjectFactory()
    client = page_clients("pmo_lead")
    # when a PMO lead adds one
    response = client.post(f"/portfolio/projects/{project.pk}/benefits/new/", PLAN)
    # then it is the project's, and the page lists it
    benefit = project.benefits.get()
    assert response.status_code == 302 and benefit.description == "Shorter queues"
    assert "Shorter queues" in client.get(project.get_absolute_url()).content.decode()
    # when the target is edited
    edit = client.post(f"/portfolio/benefits/{benefit.pk}/edit/", {**PLAN, "target": "4"})
    benefit.refresh_from_db()
    assert edit.status_code == 302 and benefit.target == "4"
    assert edit["Location"] == f"{project.get_absolute_url()}#benefit-title"


def test_benefit_realisation_recorded_from_the_project_page(page_clients):
    benefit = BenefitFactory(review_date=TODAY)
    client = page_clients("pmo_lead")
    # the form says what is measured and the target, and offers today
    form = client.get(f"/portfolio/benefits/{benefit.pk}/realisation/").content.decode()
    assert "Measured as P1 incidents per quarter · target -30 %" in form
    assert f'value="{TODAY.isoformat()}"' in form and f'max="{TODAY.isoformat()}"' in form
    # when recorded
    client.post(
        f"/portfolio/benefits/{benefit.pk}/realisation/",
        {"realised": "−22 %", "realised_on": TODAY.isoformat()},
    )
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.realised_on) == ("−22 %", TODAY)
    page = client.get(benefit.project.get_absolute_url()).content.decode()
    assert "−22 %" in page and "Correct realisation" in page


def test_benefit_realisation_in_the_future_shows_the_error_by_its_field(page_clients):
    benefit = BenefitFactory()
    tomorrow = TODAY + timedelta(days=1)
    response = page_clients("pmo_lead").post(
        f"/portfolio/benefits/{benefit.pk}/realisation/",
        {"realised": "−22 %", "realised_on": tomorrow.isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A realisation is recorded once it has happened: not after today." in html
    assert html.index("not after today.") > html.index('name="realised_on"')
    benefit.refresh_from_db()
    assert (benefit.realised, benefit.realised_on) == ("", None)


def test_benefit_page_post_refused_for_other_roles(page_clients):
    benefit = BenefitFactory()
    before = state(benefit)
    for role in ("engineer", "itsm_manager", "executive"):
        client = page_clients(role)
        url = f"/portfolio/benefits/{benefit.pk}/realisation/"
        assert client.post(url, {"realised": "1"}).status_code == 403
        assert client.post(f"/portfolio/benefits/{benefit.pk}/edit/", PLAN).status_code == 403
    assert state(benefit) == before


# --- the API, through the same services ------------------------------------------------------


def test_benefit_api_refuses_a_realisation_after_today_with_the_field(api_clients):
    benefit = BenefitFactory()
    client = api_clients("pmo_lead")
    future = (TODAY + timedelta(days=2)).isoformat()
    response = client.patch(
        f"/api/portfolio/benefits/{benefit.pk}/",
        {"realised": "−22 %", "realised_on": future},
        format="json",
    )
    assert response.status_code == 400 and "realised_on" in response.json()["fields"]
    # and records today's when the date is left out
    ok = client.patch(f"/api/portfolio/benefits/{benefit.pk}/", {"realised": "3"}, format="json")
    assert ok.status_code == 200 and ok.json()["realised_on"] == TODAY.isoformat()
