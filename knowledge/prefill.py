"""What a new lesson or article starts with when it is written at the end of a piece of work:
its source, category, service, a title and the question the page asks the writer."""

from django.utils import timezone

from changes import selectors as change_selectors
from changes.choices import Outcome
from handover import selectors as handover_selectors
from handover.incidents import selectors as incident_selectors
from handover.incidents.major import selectors as major_selectors
from portfolio.choices import Stage
from portfolio.selectors import projects_visible_to

from .choices import CATEGORY_FOR_SOURCE, ArticleKind, Impact, SourceKind
from .services import REVIEW_AFTER, service_of_source

CHANGE_OUTCOME_TEXT = {
    Outcome.FAILED: "This change failed.",
    Outcome.BACKED_OUT: "This change was backed out.",
    Outcome.WITH_ISSUES: "This change succeeded with issues.",
}


def sources_visible_to(user) -> dict:
    """The rows a lesson may come from, per source kind, as `user` may see them."""
    return {
        SourceKind.PROJECT: projects_visible_to(user),
        SourceKind.CHANGE: change_selectors.changes(),
        SourceKind.INCIDENT: incident_selectors.incidents().select_related("service"),
        SourceKind.HANDOVER: handover_selectors.handovers().select_related("project", "service"),
    }


def source_from_query(params, user) -> tuple[str, object | None, str]:
    """The source named in a query string (`?project=12`): (kind, object, error). The object is
    None with an error when the id is not a row the user sees; kind is "" when none is named."""
    for kind, rows in sources_visible_to(user).items():
        raw = (params.get(kind) or "").strip()
        if not raw:
            continue
        found = rows.filter(pk=raw).first() if raw.isascii() and raw.isdigit() else None
        if found is None:
            label = SourceKind(kind).label.lower()
            return (
                kind,
                None,
                f"There is no {label} {raw} that you can see, so this lesson "
                "starts without a source.",
            )
        return kind, found, ""
    return "", None, ""


def _project_prompt(project) -> str:
    if project.stage == Stage.CLOSED:
        return "The project is closed. What should the next project know?"
    return "What has this project taught you that the next project should know?"


def _change_prompt(change) -> str:
    said = CHANGE_OUTCOME_TEXT.get(change.outcome)
    if said:
        return f"{said} What should the next change do differently?"
    return "What should the next change on this service know?"


def lesson_title(kind: str, obj) -> str:
    """A suggested title: "Lesson from PRJ-042: CRM migration"."""
    if kind == SourceKind.PROJECT:
        return f"Lesson from {obj.code}: {obj.name}"
    if kind == SourceKind.HANDOVER:
        return f"Lesson from the handover of {obj.project.code}: {obj.project.name}"
    return f"Lesson from {obj.number or f'#{obj.pk}'}: {obj.title}"


def lesson_prompt(kind: str, obj) -> str:
    """The question the form asks the writer, in the words of the work that just ended."""
    if kind == SourceKind.PROJECT:
        return _project_prompt(obj)
    if kind == SourceKind.CHANGE:
        return _change_prompt(obj)
    if kind == SourceKind.HANDOVER:
        return "What did operations learn from this handover?"
    return "What should we learn from this incident?"


def lesson_initial(kind: str, obj) -> dict:
    """The initial values of a lesson written at `obj` (a project, change, incident or
    handover): the source under its own field name, and the category, service, title and
    prompt that go with it. A major incident's lesson starts from its post-incident review:
    what happened, impact and root cause, and the actions as the recommendation."""
    initial = {
        kind: obj,
        "source": obj,
        "category": CATEGORY_FOR_SOURCE[kind],
        "service": service_of_source(kind, obj),
        "title": lesson_title(kind, obj)[:200],
        "prompt": lesson_prompt(kind, obj),
    }
    if kind == SourceKind.INCIDENT and getattr(obj, "major", False):
        review = major_selectors.lesson_text(obj)
        if review:
            initial.update(review, impact=Impact.HIGH)
            initial["prompt"] = "The review is written below: what should every team learn?"
    return initial


def article_initial_from_incident(incident) -> dict:
    """A known error drafted from a resolved incident: its symptoms and workaround filled in,
    cause and fix left for the writer."""
    symptoms = (incident.description or "").strip() or "_What users saw._"
    workaround = (incident.resolution_notes or "").strip() or "_How to get users going again._"
    body = (
        f"## Symptoms\n\n{symptoms}\n\n"
        "## Cause\n\n_Why it happens._\n\n"
        f"## Workaround\n\n{workaround}\n\n"
        "## Fix\n\n_What removes the cause for good, and whether a change is planned._\n"
    )
    return {
        "kind": ArticleKind.KNOWN_ERROR,
        "service": incident.service_id,
        "incident": incident,
        "title": f"Known error: {incident.title}"[:200],
        "body": body,
        "next_review": default_next_review(),
    }


def default_next_review():
    """Six months from today: when the owner checks an article is still true."""
    return timezone.localdate() + REVIEW_AFTER
