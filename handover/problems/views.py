"""Problem pages: the list (with the recurring incidents that want a problem), one problem
with its moves and incidents, the form, and the known-error panel of the incident pages.

The POSTs hold no rule of their own: the services refuse (403 for a permission, 409 for a move
the table refuses now, 400 for bad input), and the pages only ask the predicates which buttons
and forms to show."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, DetailView, UpdateView

from itsm_pmo.forms import show_refusal
from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refuse

from ..choices import ProblemState
from ..incidents.permissions import (
    may_edit_incident,
    may_edit_problem,
    may_open_problem,
)
from ..incidents.workflow import PROBLEM_MOVES, ProblemFacts
from ..models import Incident, Problem
from . import selectors, services
from .filtersets import ProblemFilterSet
from .forms import IncidentNumberForm, ProblemForm, ProblemMoveForm

VIEW = "handover.view_problem"


def known_error_message(problem: Problem) -> str:
    """What the page says of the known-error article after an edit."""
    article = problem.known_error_article
    if article is None:
        return ""
    if article.state == "published":
        return f" Its known error is published as the article “{article.title}”."
    return (
        f" Its known error is saved as the draft article “{article.title}”: a PMO lead or an "
        "ITSM manager publishes it."
    )


class ProblemListView(FilteredListView):
    permission_required = VIEW
    filterset_class = ProblemFilterSet
    template_name = "problems/problem_list.html"
    queryset = selectors.problem_list().order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            may_open=may_open_problem(user),
            recurring=selectors.recurring_groups() if may_open_problem(user) else [],
            **kwargs,
        )


class ProblemDetailView(PermissionRequiredMixin, DetailView):
    permission_required = VIEW
    template_name = "problems/problem_detail.html"
    context_object_name = "problem"

    def get_queryset(self):
        return selectors.problem_detail()

    def get_context_data(self, **kwargs):
        problem, user = self.object, self.request.user
        facts = ProblemFacts(state=problem.state, has_root_cause=bool(problem.root_cause.strip()))
        options = PROBLEM_MOVES.options(problem.state, facts, user)
        incidents, incident_total = selectors.linked_incidents(problem)
        can_edit = may_edit_problem(user, problem)
        return super().get_context_data(
            moves=[o for o in options if o.permitted],
            can_edit=can_edit,
            incidents=incidents,
            incident_total=incident_total,
            link_form=IncidentNumberForm() if can_edit else None,
            transitions=selectors.transitions_of(problem),
            raise_change_url=_raise_change_url(problem, user) if can_edit else "",
            **kwargs,
        )


def _raise_change_url(problem: Problem, user) -> str:
    """The change form prefilled for this problem's fix, for those who raise changes, while
    the problem is open and has no fixing change yet."""
    from django.urls import reverse

    from changes.permissions import may_raise

    if problem.fix_change_id or problem.state in (ProblemState.RESOLVED, ProblemState.CLOSED):
        return ""
    if not may_raise(user):
        return ""
    return f"{reverse('changes:change_create')}?problem={problem.pk}"


class ProblemCreateView(PermissionRequiredMixin, CreateView):
    """Open a problem; from an incident (`?incident=<id>`, `&recurring=1` for its recurrence)
    the form starts with its title, service and item, and groups it (them) under the problem."""

    permission_required = VIEW
    form_class = ProblemForm
    template_name = "problems/problem_form.html"

    def dispatch(self, request, *args, **kwargs):
        # The form's door for every method, as the API's: only those who open problems.
        if request.user.is_authenticated and not may_open_problem(request.user):
            raise PermissionDenied("Only ITSM managers open problem records.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        incident_id = self.request.GET.get("incident", "")
        if incident_id.isdigit() and len(incident_id) < 12:
            incident = Incident.objects.filter(pk=incident_id).first()
            if incident is not None:
                self.from_incident = incident
                recurring = self.request.GET.get("recurring") == "1"
                initial.update(selectors.prefill_from_incident(incident, recurring=recurring))
        return initial

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        ids = str(form.initial.get("incidents") or "")
        return super().get_context_data(
            from_incident=getattr(self, "from_incident", None),
            grouping=len([part for part in ids.split(",") if part]),
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        ids = data.pop("incidents", [])
        try:
            self.object = services.problem_create(
                by=self.request.user,
                incidents=Incident.objects.filter(pk__in=ids, problem__isnull=True),
                **data,
            )
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        grouped = self.object.incidents.count()
        messages.success(
            self.request,
            f"{self.object.number} opened"
            + (f" with {grouped} incident{'s' if grouped != 1 else ''}." if grouped else ".")
            + known_error_message(self.object),
        )
        return redirect(self.object)


class ProblemUpdateView(PermissionRequiredMixin, UpdateView):
    """Edit a problem: its root cause, workaround and fix as the analysis finds them."""

    permission_required = VIEW
    form_class = ProblemForm
    template_name = "problems/problem_form.html"
    queryset = selectors.problem_detail()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            problem = get_object_or_404(Problem, pk=kwargs["pk"])
            if not may_edit_problem(request.user, problem):
                raise PermissionDenied("Only ITSM managers edit problem records.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            self.object = services.problem_update(
                problem=self.object, by=self.request.user, fields=fields
            )
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.object.number} saved." + known_error_message(self.object)
        )
        return redirect(self.object)


@require_POST
def problem_transition_view(request, pk):
    problem = get_object_or_404(Problem, pk=pk)
    form = ProblemMoveForm(request.POST)
    form.is_valid()
    to = form.cleaned_data.get("to", "")
    moved = attempt(
        request,
        lambda: services.problem_transition(
            problem=problem,
            to=to,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
            fix=form.cleaned_data.get("fix", ""),
        ),
    )
    if moved:
        messages.success(request, f"{problem.number} moved to {moved.get_state_display().lower()}.")
    return redirect_back(request, problem.get_absolute_url())


def _incident_by_number(value: str) -> Incident | None:
    value = value.strip().upper()
    if value.isdigit():
        return Incident.objects.filter(pk=int(value[:12])).first()
    return Incident.objects.filter(number=value).first()


@require_POST
def problem_link_view(request, pk):
    """Group an incident (by its number) under the problem."""
    problem = get_object_or_404(Problem, pk=pk)
    if not may_edit_problem(request.user, problem):
        raise PermissionDenied("Only ITSM managers edit problem records.")
    form = IncidentNumberForm(request.POST)
    incident = _incident_by_number(form.data.get("incident", "")) if form.is_valid() else None
    if incident is None:
        refuse(request, ValidationError({"incident": "No incident has this number."}))
    elif attempt(
        request,
        lambda: services.problem_link_incident(problem=problem, incident=incident, by=request.user),
    ):
        messages.success(request, f"{incident.number} grouped under {problem.number}.")
    return redirect_back(request, problem.get_absolute_url())


@require_POST
def problem_unlink_view(request, pk, incident_pk):
    """Take an incident out of the problem (it stays, no longer grouped)."""
    problem = get_object_or_404(Problem, pk=pk)
    incident = get_object_or_404(Incident, pk=incident_pk)
    if attempt(
        request,
        lambda: services.problem_unlink_incident(
            problem=problem, incident=incident, by=request.user
        ),
    ):
        messages.success(request, f"{incident.number} is no longer grouped under {problem.number}.")
    return redirect_back(request, problem.get_absolute_url())


@require_POST
def problem_resolve_by_change_view(request, pk):
    """The change page's "Resolve PRB…": resolve with the fixing change's successful review."""
    problem = get_object_or_404(selectors.problem_detail(), pk=pk)
    moved = attempt(
        request, lambda: services.problem_resolve_by_change(problem=problem, by=request.user)
    )
    if moved:
        messages.success(request, f"{problem.number} resolved by {problem.fix_change.number}.")
    fallback = (
        problem.fix_change.get_absolute_url()
        if problem.fix_change_id
        else problem.get_absolute_url()
    )
    return redirect_back(request, fallback)


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@require_safe
@permission_required(VIEW, raise_exception=True)
def known_errors_panel(request):
    """The known errors of a service or configuration item (`?service=&configuration_item=`),
    as a partial the incident form and page load with htmx; `?incident=` adds a "Link to this
    problem" button for those who edit that incident."""
    service_id = _id(request.GET.get("service", ""))
    item_id = _id(request.GET.get("configuration_item", ""))
    incident = None
    incident_id = _id(request.GET.get("incident", ""))
    if incident_id:
        incident = Incident.objects.filter(pk=incident_id).only("pk", "problem_id").first()
        if incident is not None and not may_edit_incident(request.user, incident):
            incident = None
    found = selectors.known_errors_for(service_id=service_id, item_id=item_id, user=request.user)
    return render(
        request,
        "problems/_known_errors.html",
        {"found": found, "incident": incident, "asked": bool(service_id or item_id)},
    )
