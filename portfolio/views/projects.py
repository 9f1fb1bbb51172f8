"""Project pages: list, intake and edit, the project page, scores, moves, milestones, risks,
benefits and their realisation.

Every POST validates its input and calls one service, which checks who may make it; the pages
ask the predicates only to decide which buttons and forms to show.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from itsm_pmo.api import error_body
from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refusal_text
from itsm_pmo.versioning import StaleVersion, stale_form
from itsm_pmo.workflow import TransitionRefused

from .. import permissions, selectors, services
from ..choices import CriterionKind, Stage
from ..filtersets import ProjectFilterSet
from ..forms import (
    BenefitEditForm,
    BenefitForm,
    CostForm,
    MilestoneForm,
    ProjectForm,
    RealisationForm,
    RiskForm,
    ScoreForm,
    TransitionForm,
)
from ..models import Benefit, Criterion, Project, ProjectCost
from ..workflow import MOVES, facts_for
from .base import FormShownToWhoMay


class ProjectListView(FilteredListView):
    permission_required = "portfolio.view_project"
    filterset_class = ProjectFilterSet
    template_name = "portfolio/project_list.html"

    def get_queryset(self):
        self.queryset = selectors.project_list(self.request.user)
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=permissions.may_create_project(self.request.user), **kwargs
        )


class ProjectDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "portfolio.view_project"
    template_name = "portfolio/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        try:
            return selectors.project_detail(self.request.user, self.kwargs["pk"])
        except Project.DoesNotExist as exc:
            raise Http404("No such project, or not one you work on.") from exc

    def get_context_data(self, **kwargs):
        project = self.object
        ranked = selectors.project_score(project)
        rationale = {s.criterion_id: s for s in project.scores.all()}
        user = self.request.user
        risks = list(project.risks.all())
        matrix = [
            [
                [r for r in risks if r.likelihood == lik and r.impact == imp and r.status == "open"]
                for imp in range(1, 6)
            ]
            for lik in range(5, 0, -1)
        ]
        return super().get_context_data(
            ranked=ranked,
            terms=[(t, rationale.get(t.criterion_id)) for t in ranked.terms],
            moves=MOVES.options(project.stage, facts_for(project), user),
            risk_matrix=matrix,
            risks=risks,
            history=_history_with_changes(project),
            can_edit=permissions.may_edit_project(user, project),
            can_score=permissions.may_score(user, project),
            can_move=permissions.may_move_project(user, project),
            can_plan=permissions.may_edit_milestones(user, project),
            can_add_risk=permissions.may_edit_risks(user, project),
            can_edit_benefits=permissions.may_edit_benefits(user, project),
            can_edit_costs=permissions.may_edit_costs(user, project),
            costs=selectors.project_costs(project),
            incidents=_latest_incidents(project, self.request.user),
            handover=_handover_of(project, self.request.user),
            **_knowledge_of(project, self.request),
            **kwargs,
        )


def _knowledge_of(project, request) -> dict:
    """The lessons of earlier work like this project, and the lessons it taught (with the ask
    for one once it is closed)."""
    from knowledge import selectors as knowledge
    from knowledge.permissions import may_write_lesson

    user = request.user
    own = knowledge.lessons_of("project", project.pk, user)
    return {
        "lessons_panel": knowledge.lessons_for_project(
            project, user, next_url=request.get_full_path()
        ),
        "own_lessons": own,
        "lesson_form_url": knowledge.lesson_form_url("project", project.pk)
        if own is not None and may_write_lesson(user)
        else "",
        "ask_for_lesson": project.stage == Stage.CLOSED
        and own == []
        and bool(knowledge.ask_for_lesson("project", project.pk, user)),
    }


def _handover_of(project, user):
    """The project's handover with its readiness counts (one query), or None."""
    from handover.permissions import may_read_handovers
    from handover.selectors import handover_list

    if not may_read_handovers(user):
        return None

    handover = handover_list().filter(project=project).first()
    if handover is not None:
        handover.checks_settled = handover.checks_done + handover.checks_waived
        handover.readiness_percent = (
            round(100 * handover.checks_settled / handover.checks_total)
            if handover.checks_total
            else 0
        )
    return handover


def _latest_incidents(project, user, limit: int = 8) -> list | None:
    """The project's latest incidents with the changes that caused them (one query), or None
    for a role that does not read incidents."""
    from handover.incidents.permissions import may_read_incidents
    from handover.incidents.selectors import incidents

    if not may_read_incidents(user):
        return None

    return list(
        incidents()
        .filter(project=project)
        .select_related("caused_by_change")
        .order_by("-opened_at", "-pk")[:limit]
    )


def _history_with_changes(project, limit: int = 15) -> list[tuple]:
    """The latest edits, each with the fields it changed (one query: pairs are diffed in
    memory against the next older record)."""
    records = list(project.history.select_related("history_user")[: limit + 1])
    entries = []
    for record, older in zip(records, records[1:] + [None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            changes = [
                (Project._meta.get_field(c.field).verbose_name, c.old, c.new)
                for c in record.diff_against(older).changes
            ]
        entries.append((record, changes))
    return entries


class ProjectCreateView(FormShownToWhoMay, PermissionRequiredMixin, CreateView):
    """Raise a proposal: the form validates, `project_create` decides and writes."""

    permission_required = "portfolio.view_project"
    form_class = ProjectForm
    template_name = "portfolio/project_form.html"
    refusal = "Only a PMO lead raises a proposal."

    def may_use_form(self) -> bool:
        return permissions.may_create_project(self.request.user)

    def get_initial(self):
        # The next free code, proposed; the person may type another.
        return {**super().get_initial(), "code": selectors.next_project_code()}

    def form_valid(self, form):
        try:
            project = services.project_create(
                by=self.request.user,
                fields=form.project_fields(),
                objectives=form.objective_links(),
                services=form.chosen_services(),
            )
        except ValidationError as exc:
            return self.refused(form, exc)
        messages.success(self.request, f"{project.code} is in the portfolio as a proposal.")
        return redirect(project)


class ProjectUpdateView(FormShownToWhoMay, PermissionRequiredMixin, UpdateView):
    """Edit a project: the form validates, `project_update` decides and writes."""

    permission_required = "portfolio.view_project"
    form_class = ProjectForm
    template_name = "portfolio/project_form.html"
    refusal = "Only a PMO lead edits projects."

    queryset = Project.objects.all()

    def may_use_form(self) -> bool:
        return permissions.may_edit_project(self.request.user, self.object)

    def form_valid(self, form):
        try:
            project = services.project_update(
                project=self.object,
                by=self.request.user,
                fields=form.project_fields(),
                objectives=form.objective_links(),
                services=form.chosen_services(),
                expected_version=form.loaded_version(),
            )
        except StaleVersion as exc:
            return stale_form(self, form, exc)
        except ValidationError as exc:
            return self.refused(form, exc)
        messages.success(self.request, f"{project.code} saved.")
        return redirect(project)


class ScoresEditView(FormShownToWhoMay, PermissionRequiredMixin, FormView):
    """Score every criterion of a project at once, with a rationale each."""

    permission_required = "portfolio.view_project"
    template_name = "portfolio/project_scores.html"
    refusal = "Only a PMO lead scores projects."

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        self.criteria = list(Criterion.objects.filter(kind=CriterionKind.SCORED))
        return super().dispatch(request, *args, **kwargs)

    def may_use_form(self) -> bool:
        return permissions.may_score(self.request.user, self.project)

    def get_form(self, form_class=None):
        current = {s.criterion_id: s for s in self.project.scores.all()}
        data = self.request.POST if self.request.method == "POST" else None
        return [
            ScoreForm(
                data,
                criterion=c,
                prefix=f"c{c.pk}",
                initial={
                    "value": getattr(current.get(c.pk), "value", None),
                    "rationale": getattr(current.get(c.pk), "rationale", ""),
                },
            )
            for c in self.criteria
        ]

    def post(self, request, *args, **kwargs):
        forms = self.get_form()
        if not all(f.is_valid() for f in forms):
            return self.render_to_response(self.get_context_data(forms=forms))
        entries = {
            form.criterion: (
                None
                if form.cleaned_data["value"] is None
                else (form.cleaned_data["value"], form.cleaned_data["rationale"])
            )
            for form in forms
        }
        services.scores_record(project=self.project, by=request.user, entries=entries)
        messages.success(request, f"Scores of {self.project.code} saved.")
        return redirect(self.project)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("forms", self.get_form())
        return super().get_context_data(project=self.project, **kwargs)


@require_POST
def project_transition_view(request, pk):
    """Move a project: JSON for the board's drag and drop, the page again otherwise. Who may
    move it is the service's to say (403 like the API); a refused move is 409."""
    project = get_object_or_404(Project, pk=pk)
    form = TransitionForm(request.POST)

    def move():
        if not form.is_valid():
            raise ValidationError(form.errors)
        return services.project_transition(
            project=project,
            by=request.user,
            to=form.cleaned_data["to"],
            comment=form.cleaned_data["comment"],
        )

    if "application/json" in request.headers.get("Accept", ""):
        return _transition_as_json(move)
    moved = attempt(request, move)
    if moved is not None:
        messages.success(request, f"{moved.code} moved to {moved.get_stage_display()}.")
        if moved.stage == Stage.CLOSED:
            # A closed project is where its lessons are still fresh: ask for them now.
            from knowledge.selectors import ask_for_lesson

            if lesson_form := ask_for_lesson("project", moved.pk, request.user):
                return redirect(lesson_form)
    return redirect_back(request, reverse("portfolio:project_detail", args=[pk]))


def _transition_as_json(move) -> JsonResponse:
    """The board's answer: the new stage, or the refusal with the API's status and body."""
    try:
        project = move()
    except TransitionRefused as exc:
        body = error_body(
            409, "transition_not_allowed", exc.detail, current=exc.current, allowed=exc.allowed
        )
        return JsonResponse(body, status=409)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        return JsonResponse(
            error_body(400, "invalid", refusal_text(exc), fields=fields), status=400
        )
    text = f"{project.code} moved to {project.get_stage_display()}."
    return JsonResponse({"stage": project.stage, "detail": text})


class _ProjectChildCreateView(FormShownToWhoMay, PermissionRequiredMixin, CreateView):
    template_name = "portfolio/child_form.html"
    permission_required = "portfolio.view_project"

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.create(form.cleaned_data)
        except ValidationError as exc:
            return self.refused(form, exc)
        messages.success(self.request, f"{self.noun.capitalize()} added to {self.project.code}.")
        return redirect(self.project)

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, noun=self.noun, **kwargs)


class MilestoneCreateView(_ProjectChildCreateView):
    form_class = MilestoneForm
    noun = "milestone"
    refusal = "Only a PMO lead plans a project's milestones."

    def may_use_form(self) -> bool:
        return permissions.may_edit_milestones(self.request.user, self.project)

    def create(self, data):
        milestone = services.milestone_create(
            project=self.project, by=self.request.user, fields=data
        )
        if milestone.warning:  # saved, but the date looks wrong: say so
            messages.warning(self.request, f"{milestone.name}: {milestone.warning}")
        return milestone


class RiskCreateView(_ProjectChildCreateView):
    form_class = RiskForm
    noun = "risk"
    refusal = "Only a PMO lead records a project's risks."

    def may_use_form(self) -> bool:
        return permissions.may_edit_risks(self.request.user, self.project)

    def create(self, data):
        return services.risk_create(project=self.project, by=self.request.user, fields=data)


class BenefitCreateView(_ProjectChildCreateView):
    form_class = BenefitForm
    noun = "benefit"
    refusal = services.BENEFITS_REFUSAL

    def may_use_form(self) -> bool:
        return permissions.may_edit_benefits(self.request.user, self.project)

    def create(self, data):
        return services.benefit_create(project=self.project, by=self.request.user, fields=data)


class _BenefitFormView(FormShownToWhoMay, PermissionRequiredMixin, FormView):
    """A form about one benefit, on its own page; success goes back to the project."""

    template_name = "portfolio/child_form.html"
    permission_required = "portfolio.view_project"

    def dispatch(self, request, *args, **kwargs):
        self.benefit = get_object_or_404(
            Benefit.objects.select_related("project", "owner"), pk=kwargs["pk"]
        )
        self.project = self.benefit.project
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as exc:
            return self.refused(form, exc)
        messages.success(self.request, self.done)
        return redirect(f"{self.project.get_absolute_url()}#benefit-title")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project, heading=self.heading, submit=self.submit, **kwargs
        )


class BenefitUpdateView(_BenefitFormView):
    """Edit a benefit, its realisation included: `benefit_update` decides and writes."""

    form_class = BenefitEditForm
    refusal = services.BENEFITS_REFUSAL
    submit = "Save"

    @property
    def heading(self) -> str:
        return f"Edit the benefit “{self.benefit.description}”"

    @property
    def done(self) -> str:
        return f"Benefit of {self.project.code} saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.benefit}

    def may_use_form(self) -> bool:
        return permissions.may_edit_benefits(self.request.user, self.project)

    def save(self, data):
        services.benefit_update(benefit=self.benefit, by=self.request.user, fields=data)


class BenefitRealisationView(_BenefitFormView):
    """Record what a benefit delivered: `benefit_record_realisation` decides and writes."""

    form_class = RealisationForm
    refusal = "Only a PMO lead records what was realised."
    submit = "Record"

    @property
    def heading(self) -> str:
        return f"What did “{self.benefit.description}” deliver?"

    @property
    def done(self) -> str:
        return f"Realisation recorded for {self.project.code}."

    def get_initial(self):
        benefit = self.benefit
        if benefit.realised or benefit.realised_value is not None:
            return {
                "realised": benefit.realised,
                "realised_value": benefit.realised_value,
                "realised_on": benefit.realised_on,
            }
        return {}

    def may_use_form(self) -> bool:
        return permissions.may_record_realisation(self.request.user, self.benefit)

    def save(self, data):
        services.benefit_record_realisation(
            benefit=self.benefit,
            by=self.request.user,
            realised=data["realised"],
            realised_on=data["realised_on"],
            realised_value=data["realised_value"],
        )

    def get_context_data(self, **kwargs):
        # The page says what is measured and the target, beside the form.
        return super().get_context_data(benefit=self.benefit, **kwargs)


class CostCreateView(_ProjectChildCreateView):
    form_class = CostForm
    noun = "cost"
    refusal = services.COSTS_REFUSAL

    def may_use_form(self) -> bool:
        return permissions.may_edit_costs(self.request.user, self.project)

    def create(self, data):
        return services.cost_create(project=self.project, by=self.request.user, fields=data)

    def get_initial(self):
        # Most costs are booked for the month that just ended.
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        return {"month": last_month}


class CostUpdateView(FormShownToWhoMay, PermissionRequiredMixin, FormView):
    """Correct a month's cost (or remove it, by the delete button's own POST)."""

    template_name = "portfolio/cost_form.html"
    permission_required = "portfolio.view_project"
    form_class = CostForm
    refusal = services.COSTS_REFUSAL

    def dispatch(self, request, *args, **kwargs):
        self.cost = get_object_or_404(
            ProjectCost.objects.select_related("project"), pk=kwargs["pk"]
        )
        self.project = self.cost.project
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cost}

    def may_use_form(self) -> bool:
        return permissions.may_edit_costs(self.request.user, self.project)

    def form_valid(self, form):
        try:
            services.cost_update(cost=self.cost, by=self.request.user, fields=form.cleaned_data)
        except ValidationError as exc:
            return self.refused(form, exc)
        messages.success(self.request, f"Cost of {self.project.code} saved.")
        return redirect(f"{self.project.get_absolute_url()}#cost-title")

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, cost=self.cost, **kwargs)


@require_POST
def cost_delete_view(request, pk):
    """Remove a month's cost: `cost_delete` decides (403 for anyone but a PMO lead)."""
    cost = get_object_or_404(ProjectCost.objects.select_related("project"), pk=pk)
    project = cost.project
    services.cost_delete(cost=cost, by=request.user)
    messages.success(request, f"Cost removed from {project.code}.")
    return redirect(f"{project.get_absolute_url()}#cost-title")
