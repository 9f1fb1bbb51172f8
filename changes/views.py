"""Change pages: the list, one change with everything needed to judge it, and the form."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, UpdateView

from itsm_pmo.generic import FilteredListView
from itsm_pmo.roles import role_label
from portfolio.choices import MilestoneKind

from . import prefill, selectors, services
from .choices import TRANSITIONS, ChangeState, Outcome
from .filtersets import ChangeFilterSet
from .forms import ChangeForm, ReasonForm, ReviewForm, RiskOverrideForm
from .insight import insight_for
from .models import ChangeRequest
from .slots import suggest_slots
from .workflow import COMMENT_REQUIRED, blockers

PLANNING_STATES = (ChangeState.NEW, ChangeState.ASSESS, ChangeState.AUTHORIZE)
# Outcomes that ask the people who ran the change for a lesson.
WENT_WRONG = (Outcome.FAILED, Outcome.BACKED_OUT)


class ChangeListView(FilteredListView):
    permission_required = "changes.view_changerequest"
    filterset_class = ChangeFilterSet
    template_name = "changes/change_list.html"
    queryset = selectors.change_list().order_by("-planned_start", "-pk")


class ChangeDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "changes.view_changerequest"
    template_name = "changes/change_detail.html"
    context_object_name = "change"

    def get_queryset(self):
        return (
            selectors.change_list()
            .select_related("freeze_exception_by")
            .prefetch_related("approvals__approver", "transitions__by")
        )

    def get_context_data(self, **kwargs):
        change, user = self.object, self.request.user
        insight = insight_for(change)
        facts = services.facts_for(change)
        role, quorum = services.approval_needed(change)
        needs_slot = change.state in PLANNING_STATES and (
            not (change.planned_start and change.planned_end)
            or insight.collisions
            or (insight.freezes and not change.freeze_exception)
            or insight.overbooked
        )
        may_work = selectors.may_work_on(user, change)
        return super().get_context_data(
            insight=insight,
            assessment=insight.assessment,
            moves=[
                (to, ChangeState(to).label, to in COMMENT_REQUIRED, blockers(facts, to))
                for to in TRANSITIONS[change.state]
                if not (change.state == ChangeState.AUTHORIZE and to == ChangeState.SCHEDULED)
            ],  # the CAB's quorum moves it
            can_move=may_work and user.has_perm("changes.transition_changerequest"),
            can_edit=may_work
            and user.has_perm("changes.change_changerequest")
            and change.state in (ChangeState.NEW, ChangeState.ASSESS),
            can_decide=bool(selectors.cab_queue(user, ChangeRequest.objects.filter(pk=change.pk))),
            approving_role=role_label(role),
            quorum=quorum,
            approved=services.approvals_counted(change, role),
            risk_form=RiskOverrideForm(
                initial={"level": change.risk_override, "reason": change.risk_override_reason}
            )
            if user.has_perm("changes.approve_changerequest")
            else None,
            freeze_form=ReasonForm()
            if insight.freezes
            and not change.freeze_exception
            and user.has_perm("changes.grant_freeze_exception")
            else None,
            review_form=ReviewForm()
            if change.state in (ChangeState.IMPLEMENT, ChangeState.REVIEW)
            and may_work
            and user.has_perm("changes.add_postimplementationreview")
            else None,
            slots=suggest_slots(change) if needs_slot else None,
            **_knowledge_of(change, self.request),
            **kwargs,
        )


def _knowledge_of(change, request) -> dict:
    """Lessons of earlier changes like this one, those written from this one, and the ask for
    a lesson once it failed."""
    from knowledge import surfacing

    went_wrong = change.outcome in WENT_WRONG
    return {
        "lessons_panel": surfacing.lessons_for_change(
            change, request.user, next_url=request.get_full_path()
        ),
        "lesson_ask_url": surfacing.ask_for_lesson("change", change.pk, request.user)
        if went_wrong
        else "",
        "own_lessons": surfacing.lessons_of("change", change.pk, request.user),
    }


class ChangeCreateView(PermissionRequiredMixin, CreateView):
    """Raise a change; from a go-live milestone (?milestone=) the form starts pre-filled."""

    permission_required = "changes.add_changerequest"
    form_class = ChangeForm
    template_name = "changes/change_form.html"

    def get_initial(self):
        milestone_id = self.request.GET.get("milestone")
        if not milestone_id:
            return super().get_initial()
        from portfolio.models import Milestone

        milestone = get_object_or_404(
            Milestone.objects.select_related("project"),
            pk=milestone_id if milestone_id.isdigit() else 0,
            kind=MilestoneKind.GO_LIVE,
        )
        return prefill.from_go_live(milestone)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("items", [])
        self.object = services.change_create(requester=self.request.user, items=items, **data)
        messages.success(
            self.request,
            f"{self.object.number} raised. Move it to assessment when it is ready for review.",
        )
        return redirect(self.object)


class ChangeUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = "changes.change_changerequest"
    form_class = ChangeForm
    template_name = "changes/change_form.html"
    queryset = ChangeRequest.objects.all()

    def get_object(self, queryset=None):
        change = super().get_object(queryset)
        if not selectors.may_work_on(self.request.user, change):
            raise PermissionDenied("Engineers edit the changes they raised or implement.")
        if change.state not in (ChangeState.NEW, ChangeState.ASSESS):
            raise PermissionDenied("Only a new change or one in assessment is edited.")
        return change

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("items", None)
        self.object = services.change_update(
            change=self.object, by=self.request.user, items=items, **data
        )
        messages.success(self.request, f"{self.object.number} saved.")
        return redirect(self.object)
