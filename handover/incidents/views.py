"""Incident pages: the list, the quick log form, one incident with its moves and time.

The POSTs hold no rule of their own: the services refuse (403 for a permission, 409 for a move
the table refuses now, 400 for bad input), and the pages only ask the predicates which buttons
and forms to show."""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView

from itsm_pmo.forms import show_refusal
from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refuse
from portfolio.selectors import projects_visible_to
from resources.selectors import people, person_for_user, teams

from ..choices import IncidentState
from ..models import Incident
from ..problems import selectors as problem_selectors
from . import selectors, services
from .filtersets import IncidentFilterSet
from .forms import (
    AssignForm,
    IncidentForm,
    ProblemLinkForm,
    TransitionForm,
    TransitionHoldForm,
    WorkLogForm,
)
from .major.views import incident_panel as major_panel
from .permissions import (
    may_assign_incident,
    may_edit_incident,
    may_log_incident,
    may_log_work,
    may_move_incident,
    may_take,
)
from .sla import selectors as sla_selectors
from .workflow import MOVES, STAMPS, IncidentFacts


class IncidentListView(FilteredListView):
    permission_required = "handover.view_incident"
    filterset_class = IncidentFilterSet
    template_name = "incidents/incident_list.html"
    queryset = selectors.incident_list().order_by("-opened_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_log=may_log_incident(self.request.user),
            queues_url=reverse("incidents:queue_list"),
            **kwargs,
        )


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
            sla_timers=list(incident.sla_timers.all()),
            sla_events=list(sla_selectors.events_of(incident)),
            moves=[(o.to, o.label, o.move.comment) for o in options if o.open],
            can_move=may_move_incident(user, incident),
            timeline=timeline,
            work_logs=logs,
            total_hours=sum((log.hours for log in logs), start=0),
            work_form=(self.work_form if self.work_form is not None else WorkLogForm())
            if may_log_work(user, incident, person)
            else None,
            has_person=person is not None,
            hold_form=TransitionHoldForm(),
            may_assign=may_assign_incident(user, incident),
            may_take=incident.assignee_id is None and may_take(user, incident, person),
            reassignments=selectors.reassignments(incident)[:20],
            problem_form=ProblemLinkForm(initial={"problem": incident.problem_id})
            if may_edit_incident(user, incident)
            else None,
            **_knowledge_of(incident, user),
            **major_panel(incident, user),
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
            hold_reason=form.cleaned_data.get("hold_reason", ""),
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


# --- Queues and assignment (issue 17; docs/decisions.md, "Queues and assignment") ---------


class QueueListView(PermissionRequiredMixin, ListView):
    """The assignment groups with their open, unassigned and breached counts (one query),
    the user's team first."""

    permission_required = "handover.view_incident"
    template_name = "incidents/queue_list.html"
    context_object_name = "queues"

    def get_queryset(self):
        return selectors.queues(self.request.user)


class QueueDetailView(PermissionRequiredMixin, ListView):
    """One group's queue: unassigned first, then priority, then the soonest due; "Assign to
    me" and "Assign" to a member for those who may, "Reassign…" on each incident's page."""

    permission_required = "handover.view_incident"
    template_name = "incidents/queue_detail.html"
    paginate_by = 50

    def get_queryset(self):
        self.team = get_object_or_404(teams(), pk=self.kwargs["pk"])
        return selectors.queue(self.team.pk)

    def get_context_data(self, **kwargs):
        user = self.request.user
        person = person_for_user(user)
        context = super().get_context_data(team=self.team, **kwargs)
        rows = context["object_list"]
        context.update(
            members=list(people().filter(team=self.team, active=True).order_by("name"))
            if rows and may_assign_incident(user, None)
            else [],
            takeable={i.pk for i in rows if i.assignee_id is None and may_take(user, i, person)},
            is_member=person is not None and person.team_id == self.team.pk,
            now=timezone.now(),
        )
        return context


def _assign_page(request, incident, form, status=200):
    return render(
        request,
        "incidents/incident_assign.html",
        {
            "incident": incident,
            "form": form,
            "history": selectors.reassignments(incident),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


class IncidentAssignView(PermissionRequiredMixin, View):
    """Assign or reassign one incident: its group, someone of it, and why (recorded). Shown
    to those who may assign; the service decides the POST."""

    permission_required = "handover.view_incident"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_assign_incident(request.user, None):
            raise PermissionDenied("Only engineers and ITSM managers assign incidents.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        incident = get_object_or_404(selectors.incident_detail(), pk=pk)
        initial = {"group": incident.assignment_group_id, "person": incident.assignee_id}
        return _assign_page(request, incident, AssignForm(initial=initial))

    def post(self, request, pk):
        incident = get_object_or_404(selectors.incident_detail(), pk=pk)
        form = AssignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assign(
                    incident=incident,
                    group=data["group"],
                    person=data["person"],
                    reason=data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                show_refusal(form, exc)
            else:
                who = data["person"] or data["group"]
                messages.success(request, f"{incident.number} assigned to {who}.")
                return redirect_back(request, incident.get_absolute_url())
        return _assign_page(request, incident, form, status=400)


@require_POST
def incident_take_view(request, pk):
    """ "Assign to me" (and, with `person`, assign to a member of the incident's group)."""
    incident = get_object_or_404(Incident.objects.select_related("assignment_group"), pk=pk)
    person_id = request.POST.get("person", "")
    if person_id:
        person = people().filter(pk=person_id).first() if person_id.isdigit() else None

        def act():
            if person is None:
                raise ValidationError({"person": "Choose a member of the group."})
            return services.assign(
                incident=incident,
                group=incident.assignment_group,
                person=person,
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
    else:

        def act():
            return services.take(incident=incident, by=request.user)

    done = attempt(request, act)
    if done is not None:
        messages.success(request, f"{incident.number} assigned to {done.assignee}.")
    return redirect_back(request, incident.get_absolute_url())
