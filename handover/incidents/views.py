"""Incident pages: the list, the quick log form, one incident with its moves and time.

The POSTs hold no rule of their own: the services refuse (403 for a permission, 409 for a move
the table refuses now, 400 for bad input), and the pages only ask the predicates which buttons
and forms to show."""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView

from itsm_pmo.forms import show_refusal
from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refuse
from portfolio.selectors import projects_visible_to

from ..choices import IncidentState
from ..models import Incident
from ..problems import selectors as problem_selectors
from . import selectors, services
from .filtersets import IncidentFilterSet
from .forms import IncidentForm, ProblemLinkForm, TransitionForm, WorkLogForm
from .permissions import may_edit_incident, may_log_incident, may_log_work, may_move_incident
from .workflow import MOVES, STAMPS, IncidentFacts


class IncidentListView(FilteredListView):
    permission_required = "handover.view_incident"
    filterset_class = IncidentFilterSet
    template_name = "incidents/incident_list.html"
    queryset = selectors.incident_list().order_by("-opened_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_log=may_log_incident(self.request.user), **kwargs)


class IncidentCreateView(PermissionRequiredMixin, CreateView):
    """The quick form; `?project=<id>` starts it on that project and its first service. It is
    shown to those who may log incidents (the service decides the POST)."""

    permission_required = "handover.view_incident"
    form_class = IncidentForm
    template_name = "incidents/incident_form.html"

    def dispatch(self, request, *args, **kwargs):
        # The form's door for every method: a POST from a role that does not log incidents
        # is refused before its input is read, as the API refuses it.
        if request.user.is_authenticated and not may_log_incident(request.user):
            raise PermissionDenied("Only engineers and ITSM managers log incidents.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        project_id = self.request.GET.get("project", "")
        if project_id.isdigit():
            project = (
                projects_visible_to(self.request.user)
                .prefetch_related("services")
                .filter(pk=project_id)
                .first()
            )
            if project is not None:
                initial["project"] = project
                services_of = sorted(project.services.all(), key=lambda s: s.name)
                if services_of:
                    initial["service"] = services_of[0]
        return initial

    def get_context_data(self, **kwargs):
        """The search box's options: every project the user sees (with its first service, so
        picking a project fills both) and every service."""
        form = kwargs.get("form") or self.get_form()
        projects = form.fields["project"].queryset.prefetch_related("services")
        options = [
            (
                str(p),
                "project",
                p.pk,
                min(p.services.all(), key=lambda s: s.name).pk if p.services.all() else "",
            )
            for p in projects
        ]
        options += [(f"Service: {s}", "service", s.pk, "") for s in form.fields["service"].queryset]
        return super().get_context_data(search_options=options, **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.incident_log(reporter=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.object.number} logged ({self.object.priority_label})."
        )
        return redirect(self.object)


class IncidentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "handover.view_incident"
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"
    work_form: WorkLogForm | None = None  # a refused one, shown again with its errors

    def get_queryset(self):
        return selectors.incident_detail()

    def get_context_data(self, **kwargs):
        incident, user = self.object, self.request.user
        logs = list(incident.work_logs.select_related("person"))
        timeline = [("Opened", incident.opened_at)] + [
            (IncidentState(state).label, getattr(incident, stamp))
            for state, stamp in STAMPS.items()
        ]
        person = getattr(user, "person", None)
        options = MOVES.options(incident.state, IncidentFacts(state=incident.state), user)
        return super().get_context_data(
            moves=[(o.to, o.label, o.move.comment) for o in options if o.open],
            can_move=may_move_incident(user, incident),
            timeline=timeline,
            work_logs=logs,
            total_hours=sum((log.hours for log in logs), start=0),
            work_form=(self.work_form if self.work_form is not None else WorkLogForm())
            if may_log_work(user, incident, person)
            else None,
            has_person=person is not None,
            problem_form=ProblemLinkForm(initial={"problem": incident.problem_id})
            if may_edit_incident(user, incident)
            else None,
            **_knowledge_of(incident, user),
            **problem_selectors.incident_panel(incident, user),
            **kwargs,
        )


def _knowledge_of(incident, user) -> dict:
    """What was written from this incident, and, once it is resolved, the known error to
    publish so the next one is solved faster."""
    from knowledge import selectors as knowledge
    from knowledge.permissions import may_write_article, may_write_lesson

    settled = incident.state in (IncidentState.RESOLVED, IncidentState.CLOSED)
    return {
        "known_errors": knowledge.articles_of_incident(incident, user),
        "incident_lessons": knowledge.lessons_of("incident", incident.pk, user),
        "known_error_url": knowledge.known_error_form_url(incident.pk)
        if settled and may_write_article(user)
        else "",
        "lesson_form_url": knowledge.lesson_form_url("incident", incident.pk)
        if may_write_lesson(user)
        else "",
    }


@require_POST
def incident_transition_view(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    to = form.cleaned_data.get("to", "")
    if attempt(
        request,
        lambda: services.incident_transition(
            incident=incident,
            to=to,
            by=request.user,
            resolution_notes=form.cleaned_data.get("resolution_notes", ""),
        ),
    ):
        messages.success(request, f"{incident.number} moved to {IncidentState(to).label.lower()}.")
    return redirect_back(request, incident.get_absolute_url())


@require_POST
def incident_work_view(request, pk):
    """Log time; refused, the incident's page again (400) with each reason next to its field
    and what was typed kept."""
    incident = get_object_or_404(Incident, pk=pk)
    form = WorkLogForm(request.POST)
    if form.is_valid():
        try:
            services.work_log(incident=incident, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            hours = form.cleaned_data["hours"]
            messages.success(request, f"{hours} h logged on {incident.number}.")
            return redirect_back(request, incident.get_absolute_url())
    page = copy.copy(request)
    page.method = "GET"
    response = IncidentDetailView.as_view(work_form=form)(page, pk=pk)
    response.status_code = 400
    return response


@require_POST
def incident_problem_view(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = ProblemLinkForm(request.POST)
    if not form.is_valid():
        refuse(request, ValidationError({"problem": "Choose a problem from the list."}))
    else:
        problem = form.cleaned_data["problem"]
        if attempt(
            request,
            lambda: services.problem_link(incident=incident, problem=problem, by=request.user),
        ):
            messages.success(
                request,
                f"{incident.number} linked to {problem.number}."
                if problem
                else f"{incident.number} is no longer linked to a problem.",
            )
    return redirect_back(request, incident.get_absolute_url())
