"""The portfolio in the inbox: for PMO leads the proposals to score, the stage moves that
wait and the benefits due for review; for executives the projects in the red. Beside the
inbox, a project owner's live projects (a context panel).

Due moments (docs/decisions.md, issue 15): a proposal is due for triage (scored, then
approved, held or rejected) TRIAGE_DAYS after it was raised; a project waits to start from
its start date and to be handed over from its go-live, each listed from a week before; a
benefit is due on its review date, listed from REVIEW_AHEAD before; a red project by its next
go-live (else its end date).
"""

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.timezone import localdate

from itsm_pmo.home import Clock, QuerySource, WorkItem, WorkPanel, on
from itsm_pmo.permissions import oversees

from .choices import CriterionKind, Health, MilestoneKind, Stage
from .models import Benefit, Criterion, Milestone, Project, Score
from .permissions import may_move_project, may_review_benefits
from .selectors import go_live_on

TRIAGE_DAYS = 14
AHEAD = timedelta(days=7)  # a start or a handover is listed from a week before its day
REVIEW_AHEAD = timedelta(days=30)
PROPOSALS = (Stage.PROPOSED, Stage.ASSESSED)
LIVE = (Stage.APPROVED, Stage.IN_FLIGHT, Stage.HANDOVER, Stage.ON_HOLD)


def _unscored():
    """For an annotation: how many scored criteria the project has no score for."""
    scored = Score.objects.filter(project=OuterRef(OuterRef("pk")), criterion=OuterRef("pk"))
    missing = (
        Criterion.objects.filter(kind=CriterionKind.SCORED)
        .filter(~Exists(scored))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(missing), 0)


def _triage_due():
    return TruncDate(F("created_at") + timedelta(days=TRIAGE_DAYS))


def _owner(project) -> str:
    return project.owner.name if project.owner_id else "no owner yet"


# --- proposals to score ----------------------------------------------------------------------


def proposals_to_score() -> QuerySet[Project]:
    """Proposals with a scored criterion still unscored, the oldest raised first."""
    return (
        Project.objects.filter(stage__in=PROPOSALS)
        .annotate(unscored=_unscored(), due=_triage_due())
        .filter(unscored__gt=0)
        .select_related("owner")
        .order_by("due", "code")
    )


def _proposal(project, clock: Clock) -> WorkItem:
    n = project.unscored
    return WorkItem(
        title=f"{project.code} {project.name}",
        url=reverse("portfolio:project_scores", args=[project.pk]),
        action=f"Score {n} criteri{'a' if n > 1 else 'on'}",
        due=project.due,
        meta=f"{project.get_stage_display()} · raised {on(localdate(project.created_at), clock)}"
        f" · {_owner(project)}",
        badge=f"{n} to score",
        tone="warning",
    )


to_score = QuerySource(
    kind="proposals-to-score",
    title="Proposals to score",
    icon="clipboard-data",
    who=may_move_project,
    rows=lambda user, clock: proposals_to_score(),
    entry=_proposal,
    order=10,
    empty="Every proposal is scored.",
    link=("Portfolio board", "portfolio:index"),
)


# --- stage moves that wait -----------------------------------------------------------------


def _next_go_live():
    """For an annotation: the project's next go-live not yet done (its planned day)."""
    return Subquery(
        Milestone.objects.filter(
            project=OuterRef("pk"), kind=MilestoneKind.GO_LIVE, completed_on__isnull=True
        )
        .order_by("due_date", "pk")
        .values("due_date")[:1]
    )


def stage_moves_waiting(clock: Clock) -> QuerySet[Project]:
    """Projects whose next stage move is the PMO lead's to make now: proposals fully scored
    (approve, hold or reject), approved projects reaching their start date (start), projects
    in flight reaching their go-live (hand over)."""
    ahead = clock.today + AHEAD
    return (
        Project.objects.filter(stage__in=[*PROPOSALS, Stage.APPROVED, Stage.IN_FLIGHT])
        .annotate(unscored=_unscored(), go_live=go_live_on("pk"))
        .filter(
            Q(stage__in=PROPOSALS, unscored=0)
            | Q(stage=Stage.APPROVED, start_date__lt=ahead)
            | Q(stage=Stage.IN_FLIGHT, go_live__lt=ahead)
        )
        .annotate(
            due=Case(
                When(stage__in=PROPOSALS, then=_triage_due()),
                When(stage=Stage.APPROVED, then=F("start_date")),
                default=F("go_live"),
                output_field=DateField(),
            )
        )
        .select_related("owner")
        .order_by(F("due").asc(nulls_last=True), "code")
    )


def _move(project, clock: Clock) -> WorkItem:
    if project.stage in PROPOSALS:
        action, badge = "Approve, hold or reject", "Ready to decide"
    elif project.stage == Stage.APPROVED:
        action, badge = f"Start it: planned start {on(project.start_date, clock)}", "Start"
    else:
        action, badge = (
            f"Hand over to operations: go-live {on(project.go_live, clock)}",
            "Hand over",
        )
    return WorkItem(
        title=f"{project.code} {project.name}",
        url=project.get_absolute_url(),
        action=action,
        due=project.due,
        meta=f"{project.get_stage_display()} · {_owner(project)}",
        badge=badge,
        tone="success" if project.stage in PROPOSALS else "primary",
    )


stage_moves = QuerySource(
    kind="stage-moves",
    title="Stage moves that wait",
    icon="signpost-split",
    who=may_move_project,
    rows=lambda user, clock: stage_moves_waiting(clock),
    entry=_move,
    order=15,
    empty="No project waits for a stage move.",
    link=("Portfolio board", "portfolio:index"),
)


# --- benefits to review ----------------------------------------------------------------------


def benefits_to_review(clock: Clock) -> QuerySet[Benefit]:
    """Benefits not yet realised whose review date has come or comes within REVIEW_AHEAD."""
    return (
        Benefit.objects.filter(realised_on__isnull=True, review_date__lt=clock.today + REVIEW_AHEAD)
        .exclude(project__stage=Stage.REJECTED)
        .select_related("project", "owner")
        .annotate(due=F("review_date"))
        .order_by("due", "pk")
    )


def _benefit(benefit, clock: Clock) -> WorkItem:
    project = benefit.project
    return WorkItem(
        title=benefit.description,
        url=f"{project.get_absolute_url()}#benefit-title",
        action=f"Record what was realised (target {benefit.target})",
        due=benefit.due,
        meta=f"{project.code} · {benefit.measure} · "
        f"{benefit.owner.name if benefit.owner_id else 'no owner'}",
        badge=project.get_stage_display(),
        tone="light",
    )


benefits = QuerySource(
    kind="benefits-to-review",
    title="Benefits to review",
    icon="graph-up-arrow",
    who=may_review_benefits,
    rows=lambda user, clock: benefits_to_review(clock),
    entry=_benefit,
    order=20,
    empty="No benefit is due for review in the next 30 days.",
    link=("Project list", "portfolio:project_list"),
)


# --- red projects (executives) ---------------------------------------------------------------


def red_projects() -> QuerySet[Project]:
    """Live projects in the red, by their next go-live (else their end date)."""
    return (
        Project.objects.filter(stage__in=LIVE, health=Health.RED)
        .annotate(next_go_live=_next_go_live())
        .annotate(due=Coalesce("next_go_live", F("end_date"), output_field=DateField()))
        .select_related("owner")
        .order_by(F("due").asc(nulls_last=True), "code")
    )


def _red(project, clock: Clock) -> WorkItem:
    who = project.owner.name if project.owner_id else "the PMO lead"
    return WorkItem(
        title=f"{project.code} {project.name}",
        url=project.get_absolute_url(),
        action=f"Ask {who} for a recovery plan",
        due=project.due,
        meta=f"{project.get_stage_display()} · "
        + (
            f"go-live {on(project.next_go_live, clock)}"
            if project.next_go_live
            else f"ends {on(project.end_date, clock)}"
            if project.end_date
            else "no dates yet"
        ),
        badge="Red",
        tone="danger",
    )


red = QuerySource(
    kind="red-projects",
    title="Projects in the red",
    icon="exclamation-octagon",
    who=oversees,
    rows=lambda user, clock: red_projects(),
    entry=_red,
    order=10,
    empty="No live project is in the red.",
    link=("Project list", "portfolio:project_list"),
)


# --- context panel: my projects ----------------------------------------------------------------


def my_projects_panel(user) -> WorkPanel | None:
    """For anyone who owns projects: their live projects and their health."""
    person = getattr(user, "person", None)
    if person is None:
        return None
    projects = (
        Project.objects.filter(owner=person)
        .exclude(stage__in=[Stage.CLOSED, Stage.REJECTED])
        .order_by("code")[:6]
    )
    items = [
        WorkItem(
            title=f"{p.code} {p.name}",
            url=p.get_absolute_url(),
            meta=p.get_stage_display(),
            badge=p.get_health_display(),
            tone={"green": "success", "amber": "warning", "red": "danger"}[p.health],
        )
        for p in projects
    ]
    if not items:
        return None
    return WorkPanel(
        title="My projects",
        icon="folder2-open",
        items=items,
        more_url=reverse("portfolio:project_list") + f"?owner={person.pk}",
        order=20,
    )
