"""Lessons surfaced where decisions are made: the similar-lessons panel as a proposal is typed,
"Mark as applied", and the lessons cards of the project, change and handover pages."""

import re

import pytest

from handover.models import Handover
from knowledge.choices import LessonCategory
from knowledge.models import Lesson, LessonApplication
from tests.changes.factories import ChangeFactory, ConfigurationItemFactory
from tests.factories import ProjectFactory, ServiceFactory, UserFactory
from tests.handover.handover_helpers import open_handover
from tests.support.permissions import assert_matrix
from tests.support.queries import assert_constant_queries

from .factories import LessonFactory

pytestmark = pytest.mark.django_db

SIMILAR = "/knowledge/similar/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def apply_url(lesson) -> str:
    return f"/knowledge/lessons/{lesson.pk}/apply/"


@pytest.fixture
def dns_lesson():
    return LessonFactory(
        published=True,
        title="DNS cutover took the payroll service down",
        recommendation="- Lower the DNS TTL a week before the cutover.\n- Rehearse it.",
        category=LessonCategory.TECHNICAL,
    )


@pytest.fixture
def vendor_lesson():
    return LessonFactory(
        published=True,
        title="Vendor contract signed too late",
        recommendation="Start procurement in the assessment stage.",
        category=LessonCategory.VENDOR,
    )


def lesson_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="lesson-(\d+)"', html)]


# --- the similar-lessons fragment --------------------------------------------------------------


def test_similar_returns_the_relevant_lesson_for_typed_text(
    page_clients, dns_lesson, vendor_lesson
):
    # given two published lessons and a proposal about a DNS cutover
    client = page_clients("pmo_lead")
    # when the intake form sends what was typed (`name` is the form's title field)
    response = client.get(
        SIMILAR,
        {"name": "Payroll DNS cutover", "summary": "Move payroll to the new data centre"},
        **HTMX,
    )
    # then the DNS lesson is listed with its first step as plain text, the vendor one is not
    html = response.content.decode()
    assert response.status_code == 200
    assert lesson_ids(html) == [dns_lesson.pk]
    assert "Lower the DNS TTL a week before the cutover." in html
    assert "<li>" not in html.split("Next time:")[1][:200]  # Markdown not rendered as a list
    assert "Mark as applied" in html and 'name="proposal" value="Payroll DNS cutover"' in html


def test_similar_with_no_text_shows_the_hint_and_no_lessons(page_clients, dns_lesson):
    # given a published lesson
    client = page_clients("engineer")
    # when nothing has been typed yet
    html = client.get(SIMILAR, {"name": "  ", "summary": ""}, **HTMX).content.decode()
    # then the panel asks for a title instead of listing anything
    assert lesson_ids(html) == []
    assert "Start typing a title and summary to see lessons from earlier work." in html


def test_similar_boosts_lessons_of_the_chosen_services(page_clients):
    # given two equally relevant lessons, one about the service being changed
    payroll = ServiceFactory(name="Payroll")
    other = LessonFactory(published=True, title="Database upgrade overran")
    same_service = LessonFactory(published=True, title="Database upgrade overran", service=payroll)
    client = page_clients("pmo_lead")
    # when the proposal names that service
    html = client.get(
        SIMILAR, {"title": "Database upgrade", "services": [payroll.pk]}, **HTMX
    ).content.decode()
    # then the lesson on the same service comes first
    assert lesson_ids(html) == [same_service.pk, other.pk]


def test_similar_leaves_out_drafts_and_the_excluded_project(page_clients):
    # given a draft and a lesson of the project being edited
    project = ProjectFactory()
    LessonFactory(title="Cutover rehearsal skipped")  # draft
    LessonFactory(published=True, title="Cutover rehearsal skipped", project=project)
    kept = LessonFactory(published=True, title="Cutover rehearsal skipped again")
    client = page_clients("pmo_lead")
    # when the edit form asks, excluding its own project
    html = client.get(
        SIMILAR,
        {
            "title": "Cutover rehearsal",
            "exclude_project": project.pk,
            "context": f"project:{project.pk}",
        },
        **HTMX,
    ).content.decode()
    # then only the other published lesson shows, marked in the project's context
    assert lesson_ids(html) == [kept.pk]
    assert f'name="context" value="project:{project.pk}"' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"title": "x", "services": "abc"}, "services"),
        ({"title": "x", "category": "gossip"}, "category"),
        ({"title": "x", "context": "planet:4"}, "context"),
    ],
)
def test_similar_bad_query_is_400_with_the_field(page_clients, params, field):
    # given a query a page would never send
    client = page_clients("pmo_lead")
    # when it is sent
    response = client.get(SIMILAR, params, **HTMX)
    # then it is refused, naming the field, in a fragment for the panel (htmx swaps it in)
    html = response.content.decode()
    assert response.status_code == 400 and f"<strong>{field.capitalize()}</strong>" in html
    assert 'role="alert"' in html and "<html" not in html


def test_similar_role_rule(page_clients):
    assert_matrix(
        page_clients,
        "get",
        f"{SIMILAR}?title=dns",
        anonymous=302,
        pmo_lead=200,
        itsm_manager=200,
        engineer=200,
        executive=200,
    )


# --- mark as applied -----------------------------------------------------------------------------


def test_apply_counts_once_per_user_and_context(page_clients, dns_lesson):
    # given a project page's apply button, for someone who reads every project
    project = ProjectFactory()
    client = page_clients("executive")
    data = {"context": f"project:{project.pk}"}
    # when it is pressed twice
    first = client.post(apply_url(dns_lesson), data, **HTMX)
    second = client.post(apply_url(dns_lesson), data, **HTMX)
    # then the lesson counts one use and the button says so, disabled
    dns_lesson.refresh_from_db()
    assert first.status_code == second.status_code == 200
    assert dns_lesson.applied_count == 1
    assert "Applied ✓ · 1×" in second.content.decode()
    assert "disabled" in second.content.decode()
    # and another context counts again
    client.post(apply_url(dns_lesson), {"proposal": "Payroll DNS cutover"}, **HTMX)
    dns_lesson.refresh_from_db()
    assert dns_lesson.applied_count == 2
    assert LessonApplication.objects.filter(context="proposal:payroll dns cutover").exists()


def test_apply_refuses_a_draft_with_the_reason(page_clients):
    # given a draft the PMO lead can read
    draft = LessonFactory(title="Not reviewed yet")
    client = page_clients("pmo_lead")
    # when it is marked applied
    response = client.post(apply_url(draft), {"proposal": "Anything"}, **HTMX)
    # then 400 with the reason, in the button fragment htmx swaps in, and nothing counted
    assert response.status_code == 400
    assert "Only a published lesson can be marked as applied." in response.content.decode()
    assert Lesson.objects.get(pk=draft.pk).applied_count == 0


def test_apply_to_an_unknown_object_is_404(page_clients, dns_lesson):
    client = page_clients("engineer")
    response = client.post(apply_url(dns_lesson), {"context": "project:999999"}, **HTMX)
    assert response.status_code == 404
    assert not LessonApplication.objects.exists()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"context": "planet:4"}, "Say project:"),
        ({"proposal": "   "}, "Say where the lesson was applied"),
    ],
)
def test_apply_without_a_usable_context_is_400(page_clients, dns_lesson, data, reason):
    response = page_clients("engineer").post(apply_url(dns_lesson), data, **HTMX)
    assert response.status_code == 400 and reason in response.content.decode()
    assert not LessonApplication.objects.exists()


def test_apply_without_htmx_goes_back_with_a_message(page_clients, dns_lesson):
    # given a handover page without JavaScript
    handover = open_handover()
    client = page_clients("itsm_manager")
    page = handover.get_absolute_url()
    # when the form posts with the page to go back to
    response = client.post(
        apply_url(dns_lesson), {"context": f"handover:{handover.pk}", "next": page}, follow=True
    )
    # then it lands back there, saying so
    assert response.redirect_chain[0][0] == page
    assert "marked as applied (1×)" in response.content.decode()
    # and an off-site `next` goes to the lesson instead
    evil = client.post(
        apply_url(dns_lesson),
        {"context": f"handover:{handover.pk}", "next": "https://evil.example/"},
    )
    assert evil["Location"] == dns_lesson.get_absolute_url()


def test_apply_every_role_may_mark_a_user_without_a_role_may_not(page_clients, client, dns_lesson):
    # given each role's client, and a signed-in user holding no role
    for role in ("pmo_lead", "itsm_manager", "engineer", "executive"):
        # when each marks the lesson on the same proposal
        response = page_clients(role).post(apply_url(dns_lesson), {"proposal": "Same one"}, **HTMX)
        # then each counts
        assert response.status_code == 200, role
    client.force_login(UserFactory())
    refused = client.post(apply_url(dns_lesson), {"proposal": "Same one"}, **HTMX)
    assert refused.status_code == 403
    assert Lesson.objects.get(pk=dns_lesson.pk).applied_count == 4


def test_apply_anonymous_is_sent_to_log_in(page_clients, dns_lesson):
    response = page_clients("anonymous").post(apply_url(dns_lesson), {"proposal": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert Lesson.objects.get(pk=dns_lesson.pk).applied_count == 0


def test_apply_only_by_get_is_refused(page_clients, dns_lesson):
    assert page_clients("engineer").get(apply_url(dns_lesson)).status_code == 405


# --- the intake form --------------------------------------------------------------------------


def test_intake_form_has_the_live_panel_outside_the_form(page_clients):
    # given the PMO lead raising a proposal
    html = page_clients("pmo_lead").get("/portfolio/projects/new/").content.decode()
    # then the panel asks for lessons as the name, summary and services change
    panel = re.search(r'<div[^>]*data-testid="intake-lessons"[^>]*>', html, re.S).group(0)
    assert 'hx-get="/knowledge/similar/"' in panel
    assert "from:#id_name" in panel and "from:#id_summary" in panel
    assert "change from:#id_services" in panel
    assert 'hx-include="#id_name, #id_summary, #id_services"' in panel
    assert "Before you commit: what went wrong last time on similar work." in html
    # and it sits after the project form closes, so its buttons never submit the project
    assert html.index("</form>", html.index('method="post" novalidate')) < html.index(panel)


def test_intake_edit_form_marks_in_the_project_context(page_clients):
    project = ProjectFactory()
    html = page_clients("pmo_lead").get(f"/portfolio/projects/{project.pk}/edit/").content
    assert f'"context": "project:{project.pk}"'.encode() in html
    assert f'"exclude_project": "{project.pk}"'.encode() in html


# --- the project page ---------------------------------------------------------------------------


def test_project_page_shows_similar_lessons_and_its_own(page_clients):
    # given a project on the payroll service, a lesson like it, and one it taught
    payroll = ServiceFactory(name="Payroll")
    project = ProjectFactory(name="Payroll cutover", summary="Move payroll to the cloud")
    project.services.add(payroll)
    earlier = LessonFactory(
        published=True,
        title="Payroll cutover overran the weekend",
        recommendation="Plan two weekends.",
        service=payroll,
    )
    unrelated = LessonFactory(published=True, title="Printer toner ordering")
    own = LessonFactory(published=True, title="Payroll cutover went fine", project=project)
    # when an executive opens the project
    html = page_clients("executive").get(project.get_absolute_url()).content.decode()
    # then the earlier lesson is surfaced, with the project's context for marking it
    similar = html[html.index('data-testid="lessons-panel"') :]
    assert "Lessons from earlier work" in html
    assert f'data-testid="lesson-{earlier.pk}"' in similar
    assert f'data-testid="lesson-{unrelated.pk}"' not in similar
    assert f'data-testid="lesson-{own.pk}"' not in similar
    assert f'name="context" value="project:{project.pk}"' in similar
    assert "from" in similar and "applied 0×" in similar
    # and the project's own lesson is in its own card, with a way to write another
    mine = html[html.index('data-testid="project-own-lessons"') :]
    assert "Payroll cutover went fine" in mine
    assert f"/knowledge/lessons/new/?project={project.pk}" in mine


def test_project_page_shows_a_lesson_already_applied_here(page_clients, role_user):
    # given a lesson the executive marked applied on this project
    project = ProjectFactory(name="Payroll cutover")
    lesson = LessonFactory(published=True, title="Payroll cutover overran", applied_count=1)
    LessonApplication.objects.create(
        lesson=lesson, by=role_user("executive"), context=f"project:{project.pk}"
    )
    # when the executive comes back
    html = page_clients("executive").get(project.get_absolute_url()).content.decode()
    # then the button says it is done
    assert f'data-testid="applied-{lesson.pk}"' in html and "Applied ✓ · 1×" in html


def test_project_page_hides_others_drafts_of_its_lessons(page_clients):
    # given another author's draft lesson of the project
    project = ProjectFactory()
    LessonFactory(title="Half-written thoughts", project=project, author=UserFactory())
    # when an executive and a PMO lead open the project
    as_executive = page_clients("executive").get(project.get_absolute_url())
    as_pmo_lead = page_clients("pmo_lead").get(project.get_absolute_url())
    # then the executive does not see it, the PMO lead (who publishes) does
    assert as_executive.status_code == as_pmo_lead.status_code == 200
    assert "Half-written thoughts" not in as_executive.content.decode()
    assert "Half-written thoughts" in as_pmo_lead.content.decode()


def test_project_page_queries_stay_flat_as_lessons_grow(page_clients):
    # given a project with a service and a few lessons like it
    service = ServiceFactory()
    project = ProjectFactory(name="Payroll cutover", summary="Payroll to the cloud")
    project.services.add(service)
    LessonFactory(published=True, title="Payroll cutover overran", service=service)
    client = page_clients("executive")

    def grow():
        for n in range(6):
            LessonFactory(published=True, title=f"Payroll cutover lesson {n}", service=service)
            LessonFactory(published=True, title=f"Its own lesson {n}", project=project)

    # then the page reads them in the same number of queries
    assert_constant_queries(lambda: client.get(project.get_absolute_url()), grow)


# --- the change and handover pages -----------------------------------------------------------


def test_change_page_shows_lessons_from_earlier_changes(page_clients):
    # given a change on the payroll database and a change lesson on the same service
    payroll = ServiceFactory(name="Payroll")
    change = ChangeFactory(
        title="Upgrade the payroll database",
        items=[ConfigurationItemFactory(service=payroll)],
        window=False,
    )
    earlier = LessonFactory(
        published=True,
        title="Database upgrade needed a longer window",
        category=LessonCategory.CHANGE,
        service=payroll,
    )
    unrelated = LessonFactory(
        published=True, title="Vendor invoices were late", category=LessonCategory.VENDOR
    )
    # when the ITSM manager opens the change
    html = page_clients("itsm_manager").get(change.get_absolute_url()).content.decode()
    # then the earlier lesson is there, to be marked in the change's context
    assert "Lessons from earlier changes" in html
    assert f'data-testid="lesson-{earlier.pk}"' in html
    assert f'data-testid="lesson-{unrelated.pk}"' not in html
    assert f'name="context" value="change:{change.pk}"' in html


def test_change_page_lists_the_lessons_written_from_it(page_clients, role_user):
    # given a change with a published lesson from it and an engineer's draft from it
    change = ChangeFactory(title="Upgrade the payroll database", window=False)
    taught = LessonFactory(published=True, change=change, title="Rehearse the payroll upgrade")
    draft = LessonFactory(
        change=change, title="Half-written payroll note", author=role_user("engineer")
    )
    # when a PMO lead opens the change
    html = page_clients("pmo_lead").get(change.get_absolute_url()).content.decode()
    # then both show under "Lessons from this change" (a publisher reads drafts) ...
    assert "Lessons from this change" in html
    assert taught.title in html and draft.title in html
    # ... and an executive, who may not read another's draft, sees only the published one
    html = page_clients("executive").get(change.get_absolute_url()).content.decode()
    assert taught.title in html and draft.title not in html


def test_handover_page_lists_lessons_of_earlier_handovers_into_the_same_service(page_clients):
    # given an earlier handover into payroll and one into another service, each with a lesson
    payroll, other = ServiceFactory(name="Payroll"), ServiceFactory(name="Printing")
    earlier = open_handover()
    elsewhere = open_handover()
    current = open_handover()
    Handover.objects.filter(pk__in=[earlier.pk, current.pk]).update(service=payroll)
    Handover.objects.filter(pk=elsewhere.pk).update(service=other)
    same = LessonFactory(
        published=True,
        title="Runbook arrived after go-live",
        category=LessonCategory.HANDOVER,
        handover=earlier,
    )
    different = LessonFactory(
        published=True,
        title="Printer spares ran out",
        category=LessonCategory.HANDOVER,
        handover=elsewhere,
    )
    # when the handover into payroll is opened
    html = page_clients("itsm_manager").get(current.get_absolute_url()).content.decode()
    # then it lists the payroll handover's lesson, with its source, and not the other
    assert "Lessons from earlier handovers into Payroll" in html
    assert f'data-testid="lesson-{same.pk}"' in html
    assert f"from handover of {earlier.project.code}" in html
    assert f'data-testid="lesson-{different.pk}"' not in html
    assert f'name="context" value="handover:{current.pk}"' in html


def test_handover_page_without_earlier_lessons_says_so(page_clients):
    handover = open_handover()
    Handover.objects.filter(pk=handover.pk).update(service=ServiceFactory())
    html = page_clients("engineer").get(handover.get_absolute_url()).content.decode()
    assert "No published lessons from earlier handovers into this service yet." in html
