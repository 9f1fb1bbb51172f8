"""Incident pages: the list, the quick log form, one incident with its moves and time."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView

from itsm_pmo.domain import TransitionRefused
from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import refusal_text
from portfolio.selectors import projects_visible_to

from ..choices import INCIDENT_TRANSITIONS, IncidentState
from ..models import Incident
from . import services
from .filtersets import IncidentFilterSet
from .forms import IncidentForm, ProblemLinkForm, TransitionForm, WorkLogForm

# Button wording of each move on the incident page.
MOVE_LABELS = {
    IncidentState.IN_PROGRESS: "Start work",
    IncidentState.ON_HOLD: "Put on hold",
    IncidentState.RESOLVED: "Resolve",
    IncidentState.CLOSED: "Close",
}


def incident_list():
    return Incident.objects.select_related("service", "project", "assignee", "caused_by_change")


class IncidentListView(FilteredListView):
    permission_required = "handover.view_incident"
    filterset_class = IncidentFilterSet
    template_name = "incidents/incident_list.html"
    queryset = incident_list().order_by("-opened_at", "-pk")


class IncidentCreateView(PermissionRequiredMixin, CreateView):
    """The quick form; `?project=<id>` starts it on that project and its first service."""

    permission_required = "handover.add_incident"
    form_class = IncidentForm
    template_name = "incidents/incident_form.html"

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

    def get_queryset(self):
        return incident_list().select_related("problem", "reporter", "caused_by_change__project")

    def get_context_data(self, **kwargs):
        incident, user = self.object, self.request.user
        logs = list(incident.work_logs.select_related("person"))
        timeline = [("Opened", incident.opened_at)] + [
            (IncidentState(state).label, getattr(incident, stamp))
            for state, stamp in services.STAMPS.items()
        ]
        return super().get_context_data(
            moves=[
                (
                    to,
                    MOVE_LABELS.get(to, IncidentState(to).label)
                    if not (
                        incident.state == IncidentState.RESOLVED and to == IncidentState.IN_PROGRESS
                    )
                    else "Reopen",
                    to == IncidentState.RESOLVED,
                )
                for to in INCIDENT_TRANSITIONS[incident.state]
            ],
            can_move=user.has_perm("handover.transition_incident"),
            timeline=timeline,
            work_logs=logs,
            total_hours=sum((log.hours for log in logs), start=0),
            work_form=WorkLogForm() if user.has_perm("handover.add_worklog") else None,
            has_person=getattr(user, "person", None) is not None,
            problem_form=ProblemLinkForm(initial={"problem": incident.problem_id})
            if user.has_perm("handover.change_incident")
            else None,
            **_knowledge_of(incident, user),
            **kwargs,
        )


def _knowledge_of(incident, user) -> dict:
    """What was written from this incident, and, once it is resolved, the known error to
    publish so the next one is solved faster."""
    from knowledge import surfacing

    settled = incident.state in (IncidentState.RESOLVED, IncidentState.CLOSED)
    return {
        "known_errors": surfacing.articles_of_incident(incident, user),
        "incident_lessons": surfacing.lessons_of("incident", incident.pk, user),
        "known_error_url": surfacing.known_error_form_url(incident.pk)
        if settled and user.has_perm("knowledge.add_article")
        else "",
        "lesson_form_url": surfacing.lesson_form_url("incident", incident.pk)
        if surfacing.may_write(user)
        else "",
    }


def _say_refusal(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, refusal_text(exc))
    else:
        allowed = ", ".join(IncidentState(s).label.lower() for s in exc.allowed) or "none"
        messages.error(request, f"{exc.detail} Allowed now: {allowed}.")


@require_POST
@permission_required("handover.transition_incident", raise_exception=True)
def incident_transition_view(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    to = form.cleaned_data.get("to", "")
    try:
        services.incident_transition(
            incident=incident,
            to=to,
            by=request.user,
            resolution_notes=form.cleaned_data.get("resolution_notes", ""),
        )
    except (TransitionRefused, ValidationError) as exc:
        _say_refusal(request, exc)
    else:
        messages.success(request, f"{incident.number} moved to {IncidentState(to).label.lower()}.")
    return redirect(incident)


@require_POST
@permission_required("handover.add_worklog", raise_exception=True)
def incident_work_view(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = WorkLogForm(request.POST)
    person = getattr(request.user, "person", None)
    if person is None:
        messages.error(request, "Only someone with a person record can log time.")
    elif not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label or name}: {e}"
                for name, errs in form.errors.items()
                for e in errs
            ),
        )
    else:
        try:
            services.work_log(incident=incident, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _say_refusal(request, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['hours']} h logged on {incident.number}."
            )
    return redirect(incident)


@require_POST
@permission_required("handover.change_incident", raise_exception=True)
def incident_problem_view(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = ProblemLinkForm(request.POST)
    if form.is_valid():
        problem = form.cleaned_data["problem"]
        services.problem_link(incident=incident, problem=problem)
        messages.success(
            request,
            f"{incident.number} linked to {problem.number}."
            if problem
            else f"{incident.number} is no longer linked to a problem.",
        )
    else:
        messages.error(request, "Choose a problem from the list.")
    return redirect(incident)
