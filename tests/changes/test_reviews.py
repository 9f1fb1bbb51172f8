"""The post-implementation review: recorded once by whoever works on the change, corrected
through a service, and always in step with the change's outcome, by the page and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from changes import services
from changes.models import ChangeRequest, PostImplementationReview
from tests.factories import PersonFactory, UserFactory

from .factories import ChangeFactory, advance

pytestmark = pytest.mark.django_db
REVIEWS = "/api/changes/reviews/"


def implemented_change(**fields) -> ChangeRequest:
    return advance(ChangeFactory(implemented=True, **fields), "implement")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def review_body(change, outcome="failed", incidents=2) -> dict:
    return {"change": change.pk, "outcome": outcome, "incidents_caused": incidents}


def test_reviews_api_refuses_an_engineer_who_neither_raised_nor_implements_the_change(role_user):
    # given an implemented change and an engineer who is not on it
    change = implemented_change()
    onlooker = role_user("engineer")
    # when they record its review through the API
    response = api_as(onlooker).post(REVIEWS, review_body(change), format="json")
    # then it is refused as on the page, and nothing is recorded
    assert response.status_code == 403
    assert not PostImplementationReview.objects.exists()
    change.refresh_from_db()
    assert change.outcome == ""
    page = Client()  # the page's answer to the same person
    page.force_login(onlooker)
    assert page.post(f"/changes/{change.pk}/review/", review_body(change)).status_code == 403


@pytest.mark.parametrize("who", ["requester", "implementer"])
def test_reviews_api_lets_the_requester_and_the_implementer_record_it(who):
    # given an implemented change whose implementer is a user
    implementer = UserFactory(roles=["engineer"])
    change = implemented_change(implementer=PersonFactory(user=implementer))
    user = change.requester if who == "requester" else implementer
    # when they record its review
    response = api_as(user).post(REVIEWS, review_body(change, "backed_out"), format="json")
    # then it is recorded by them, and the change takes its outcome
    assert response.status_code == 201, response.content
    review = PostImplementationReview.objects.get(change=change)
    assert (review.outcome, review.reviewed_by) == ("backed_out", user)
    change.refresh_from_db()
    assert change.outcome == "backed_out"


def test_reviews_api_is_read_only_once_recorded(role_user):
    # given a recorded review
    change = implemented_change()
    review = services.review_record(change=change, by=change.requester, outcome="successful")
    url = f"{REVIEWS}{review.pk}/"
    # when anyone, even whoever recorded it or an ITSM manager, writes it as a plain row
    for user in (change.requester, role_user("itsm_manager"), role_user("engineer")):
        client = api_as(user)
        answers = [
            client.patch(url, {"outcome": "failed"}, format="json").status_code,
            client.put(url, review_body(change), format="json").status_code,
            client.delete(url).status_code,
        ]
        # then the endpoint does not offer it
        assert answers == [405, 405, 405], user
    review.refresh_from_db()
    change.refresh_from_db()
    assert review.outcome == change.outcome == "successful"


def test_reviews_api_records_a_review_once(role_user):
    change = implemented_change()
    client = api_as(change.requester)
    assert client.post(REVIEWS, review_body(change), format="json").status_code == 201
    again = client.post(REVIEWS, review_body(change, "successful"), format="json")
    assert again.status_code == 400
    change.refresh_from_db()
    assert change.outcome == "failed"


def test_reviews_api_refuses_a_change_not_implemented_yet():
    change = advance(ChangeFactory(implemented=True), "scheduled")
    response = api_as(change.requester).post(REVIEWS, review_body(change), format="json")
    assert response.status_code == 409
    assert not PostImplementationReview.objects.exists()


def test_review_correction_keeps_the_change_outcome_in_step(role_user):
    # given a change reviewed as successful, then closed
    change = implemented_change()
    services.change_transition(change=change, to="review", by=change.requester)
    review = services.review_record(change=change, by=change.requester, outcome="successful")
    services.change_transition(change=change, to="closed", by=change.requester)
    url = f"{REVIEWS}{review.pk}/correct/"
    body = {"outcome": "successful_with_issues", "incidents_caused": 3, "notes": "Found later"}
    # when an engineer who is not on it corrects it, then it is refused and nothing moves
    assert api_as(role_user("engineer")).post(url, body, format="json").status_code == 403
    review.refresh_from_db()
    assert (review.outcome, review.incidents_caused) == ("successful", 0)
    # when the requester corrects it
    response = api_as(change.requester).post(url, body, format="json")
    # then the review and the change agree on the new outcome
    assert response.status_code == 200, response.content
    assert response.json()["incidents_caused"] == 3
    review.refresh_from_db()
    change.refresh_from_db()
    assert review.outcome == change.outcome == "successful_with_issues"
    assert review.notes == "Found later"


def test_review_correction_refuses_bad_input():
    change = implemented_change()
    review = services.review_record(change=change, by=change.requester, outcome="successful")
    client = api_as(change.requester)
    url = f"{REVIEWS}{review.pk}/correct/"
    bad = client.post(url, {"outcome": "meh", "incidents_caused": -1}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"outcome", "incidents_caused"}
    with pytest.raises(ValidationError, match="incidents"):
        services.review_correct(
            review=review, by=change.requester, outcome="failed", incidents_caused=-1
        )
    review.refresh_from_db()
    assert review.outcome == "successful"


def test_review_page_records_then_offers_the_correction(page_clients, role_user):
    # given an implemented change, opened by its requester
    change = implemented_change()
    client = page_clients("engineer")
    client.force_login(change.requester)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Record the review" in page and 'data-testid="correct-review"' not in page
    # when they record it, the page then offers the correction instead
    client.post(f"/changes/{change.pk}/review/", {"outcome": "successful", "incidents_caused": 0})
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Record the review" not in page and 'data-testid="correct-review"' in page
    # and a correction to failed keeps the change in step (and asks for a lesson)
    done = client.post(
        f"/changes/{change.pk}/review/correct/",
        {"outcome": "failed", "incidents_caused": 1, "notes": "Rolled back at 02:00"},
    )
    assert done.status_code == 302
    change.refresh_from_db()
    assert change.outcome == change.review.outcome == "failed"
    # an onlooker sees neither form, and the page refuses their correction
    onlooker = page_clients("engineer")
    page = onlooker.get(change.get_absolute_url()).content.decode()
    assert 'data-testid="correct-review"' not in page
    refused = onlooker.post(
        f"/changes/{change.pk}/review/correct/", {"outcome": "successful", "incidents_caused": 0}
    )
    assert refused.status_code == 403
    change.refresh_from_db()
    assert change.outcome == "failed"
