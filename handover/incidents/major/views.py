"""Major-incident pages: the list (active first) and one major incident with its timeline,
people, what it affects, its review and actions; the POSTs that change them.

The POSTs hold no rule of their own: the services refuse (403 for a permission, 409 for a
move the table refuses now or a closed major incident, 400 for bad input), and the pages only
ask the predicates which buttons and forms to show."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refuse

from ...choices import IncidentState
from ...models import Incident
from . import selectors, services
from .choices import MajorIncidentState
from .filtersets import MajorIncidentFilterSet
from .forms import (
    ActionDoneForm,
    ActionForm,
    DeclareForm,
    EngagementForm,
    MoveForm,
    ReviewForm,
    UpdateForm,
)
from .models import Engagement, MajorIncident, ReviewAction
from .permissions import may_complete_action, may_declare_major, may_post_update, may_run_major
from .workflow import MOVES


class MajorIncidentListView(FilteredListView):
    permission_required = "handover.view_majorincident"
    filterset_class = MajorIncidentFilterSet
    template_name = "incidents/major/major_list.html"
    queryset = selectors.major_list()


class MajorIncidentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "handover.view_majorincident"
    template_name = "incidents/major/major_detail.html"
    context_object_name = "major"

    def get_queryset(self):
        return selectors.major_detail()

    def get_context_data(self, **kwargs):
        major, user = self.object, self.request.user
        runs = may_run_major(user, major)
        review = selectors.review_of(major)
        facts = selectors.facts_for(major)
        options = MOVES.options(major.state, facts, user)
        open_ = major.state != MajorIncidentState.CLOSED
        actions = selectors.actions(major)
        return super().get_context_data(
            incident=major.incident,
            runs=runs,
            moves=[o for o in options if o.permitted],
            timeline=selectors.timeline(major),
            engagements=selectors.engagements(major),
            affected=selectors.affected(major),
            review=review,
            actions=[(a, may_complete_action(user, a)) for a in actions],
            update_form=UpdateForm() if open_ and may_post_update(user, major) else None,
            engage_form=EngagementForm() if open_ and runs else None,
            review_form=ReviewForm(
                initial={
                    "what_happened": review.what_happened,
                    "impact": review.impact,
                    "root_cause": review.root_cause,
                }
                if review
                else None
            )
            if open_ and runs
            else None,
            action_form=ActionForm() if open_ and runs else None,
            **_lesson_of(major, user),
            **kwargs,
        )


def _lesson_of(major: MajorIncident, user) -> dict:
    """Once closed: the lessons written from it, and the lesson form prefilled with the
    review (knowledge/prefill.py) while none is written yet."""
    from knowledge import selectors as knowledge

    if major.state != MajorIncidentState.CLOSED:
        return {"lesson_url": "", "lessons": None}
    incident_id = major.incident_id
    return {
        "lesson_url": knowledge.ask_for_lesson("incident", incident_id, user),
        "lessons": knowledge.lessons_of("incident", incident_id, user),
    }


def _form_refused(request, form) -> None:
    refuse(request, ValidationError({k: list(v) for k, v in form.errors.items()}))


@require_POST
def major_declare_view(request, incident):
    incident = get_object_or_404(Incident, pk=incident)
    form = DeclareForm(request.POST)
    form.is_valid()
    major = attempt(
        request,
        lambda: services.major_declare(
            incident=incident, by=request.user, summary=form.cleaned_data.get("summary", "")
        ),
    )
    if major is None:
        return redirect_back(request, incident.get_absolute_url())
    messages.success(request, f"{incident.number} is declared a major incident.")
    return redirect(major)


def _major(pk) -> MajorIncident:
    return get_object_or_404(MajorIncident.objects.select_related("incident"), pk=pk)


@require_POST
def major_post_view(request, pk):
    major = _major(pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
    elif attempt(
        request, lambda: services.major_post(major=major, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Posted to the timeline.")
    return redirect_back(request, major.get_absolute_url())


@require_POST
def engagement_add_view(request, pk):
    major = _major(pk)
    form = EngagementForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
    elif attempt(
        request, lambda: services.engagement_add(major=major, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, f"{form.cleaned_data['person']} is engaged.")
    return redirect_back(request, major.get_absolute_url())


@require_POST
def engagement_release_view(request, pk):
    engagement = get_object_or_404(
        Engagement.objects.select_related("major_incident", "person"), pk=pk
    )
    if attempt(
        request, lambda: services.engagement_release(engagement=engagement, by=request.user)
    ):
        messages.success(request, f"{engagement.person} is released.")
    return redirect_back(request, engagement.major_incident.get_absolute_url())


@require_POST
def review_write_view(request, pk):
    major = _major(pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
    elif attempt(
        request, lambda: services.review_write(major=major, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Review saved.")
    return redirect_back(request, major.get_absolute_url())


@require_POST
def action_add_view(request, pk):
    major = _major(pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
    elif attempt(
        request, lambda: services.action_add(major=major, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Action agreed.")
    return redirect_back(request, major.get_absolute_url())


@require_POST
def action_done_view(request, pk):
    action = get_object_or_404(ReviewAction.objects.select_related("review__major_incident"), pk=pk)
    form = ActionDoneForm(request.POST)
    form.is_valid()
    done = form.cleaned_data.get("done", False)
    if attempt(
        request, lambda: services.action_complete(action=action, by=request.user, done=done)
    ):
        messages.success(request, "Action done." if done else "Action open again.")
    return redirect_back(request, action.review.major_incident.get_absolute_url())


@require_POST
def major_transition_view(request, pk):
    major = _major(pk)
    form = MoveForm(request.POST)
    form.is_valid()
    to = form.cleaned_data.get("to", "")
    if attempt(
        request,
        lambda: services.major_transition(
            major=major, to=to, by=request.user, comment=form.cleaned_data.get("comment", "")
        ),
    ):
        messages.success(
            request, f"Major incident moved to {MajorIncidentState(to).label.lower()}."
        )
    return redirect_back(request, major.get_absolute_url())


def incident_panel(incident: Incident, user) -> dict:
    """What the incident's page shows of major-incident management: its major incident, or,
    for a priority 1 incident not yet declared, the proposal to declare one to those who may."""
    major = selectors.major_of_incident(incident) if incident.major else None
    propose = (
        major is None
        and incident.priority == 1
        and incident.state != IncidentState.CLOSED
        and may_declare_major(user, incident)
    )
    return {
        "major_incident": major,
        "propose_major": propose,
        "declare_form": DeclareForm() if propose else None,
    }
