"""Change pages: the list, one change with everything needed to judge it, and the form."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, UpdateView

from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import redirect_back, refuse
from itsm_pmo.roles import role_label
from itsm_pmo.versioning import StaleVersion, stale_form
from itsm_pmo.workflow import TransitionRefused
from portfolio.choices import MilestoneKind

from .. import permissions, prefill, selectors, services
from ..choices import ChangeState, Outcome
from ..filtersets import ChangeFilterSet
from ..forms import ChangeForm, ReasonForm, ReviewForm, RiskOverrideForm
from ..insight import insight_for
from ..models import ChangeRequest
from ..slots import suggest_slots
from ..workflow import EDITABLE_STATES, MOVES, REVIEWABLE_STATES

PLANNING_STATES = (ChangeState.NEW, ChangeState.ASSESS, ChangeState.AUTHORIZE)
# Outcomes that ask the people who ran the change for a lesson.
WENT_WRONG = (Outcome.FAILED, Outcome.BACKED_OUT)


class ChangeListView(FilteredListView):
    permission_required = "changes.view_changerequest"
    filterset_class = ChangeFilterSet
    template_name = "changes/change_list.html"
    queryset = selectors.change_list().order_by("-planned_start", "-pk")


class ChangeDetailView(PermissionRequiredMixin, DetailView):
    """One change; its buttons and forms are those the predicates and the move table offer
    this user (the move the CAB's quorum makes, `by_cab` in the table, is not a button)."""

    permission_required = "changes.view_changerequest"
    template_name = "changes/change_detail.html"
    context_object_name = "change"

    def get_queryset(self):
        return (
            selectors.change_list()
            .select_related("freeze_exception_by", "review__reviewed_by")
            .prefetch_related("approvals__approver", "transitions__by")
        )

    def get_context_data(self, **kwargs):
        change, user = self.object, self.request.user
        insight = insight_for(change)
        facts = selectors.facts_for(change)
        role, quorum = selectors.approval_needed(change)
        review = getattr(change, "review", None)
        needs_slot = change.state in PLANNING_STATES and (
            not (change.planned_start and change.planned_end)
            or insight.collisions
            or (insight.freezes and not change.freeze_exception)
            or insight.overbooked
        )
        return super().get_context_data(
            insight=insight,
            assessment=insight.assessment,
            moves=[o for o in MOVES.options(change.state, facts, user) if not o.move.by_cab],
            can_move=permissions.may_move(user, change),
            can_edit=permissions.may_edit(user, change) and change.state in EDITABLE_STATES,
            can_decide=bool(selectors.cab_queue(user, ChangeRequest.objects.filter(pk=change.pk))),
            approving_role=role_label(role),
            quorum=quorum,
            approved=selectors.approvals_counted(change, role),
            risk_form=RiskOverrideForm(
                initial={"level": change.risk_override, "reason": change.risk_override_reason}
            )
            if permissions.may_override_risk(user, change)
            else None,
            freeze_form=ReasonForm()
            if insight.freezes
            and not change.freeze_exception
            and permissions.may_grant_freeze_exception(user, change)
            else None,
            review_form=ReviewForm()
            if review is None
            and change.state in REVIEWABLE_STATES
            and permissions.may_review(user, change)
            else None,
            correct_form=ReviewForm(
                initial={
                    "outcome": review.outcome,
                    "incidents_caused": review.incidents_caused,
                    "notes": review.notes,
                }
            )
            if review is not None and permissions.may_correct_review(user, review)
            else None,
            slots=suggest_slots(change) if needs_slot else None,
            **_knowledge_of(change, self.request),
            problems_to_resolve=_problems_to_resolve(change, user),
            **kwargs,
        )


def _problems_to_resolve(change, user) -> list:
    """The problems this change fixes that its successful review lets the user resolve."""
    from handover.problems.selectors import to_resolve_after

    return to_resolve_after(change, user)


def _knowledge_of(change, request) -> dict:
    """Lessons of earlier changes like this one, those written from this one, and the ask for
    a lesson once it failed."""
    from knowledge import selectors as knowledge

    went_wrong = change.outcome in WENT_WRONG
    return {
        "lessons_panel": knowledge.lessons_for_change(
            change, request.user, next_url=request.get_full_path()
        ),
        "lesson_ask_url": knowledge.ask_for_lesson("change", change.pk, request.user)
        if went_wrong
        else "",
        "own_lessons": knowledge.lessons_of("change", change.pk, request.user),
    }


class ChangeCreateView(PermissionRequiredMixin, CreateView):
    """Raise a change; from a go-live milestone (?milestone=) the form starts pre-filled.
    The form is shown to roles that raise changes; `change_create` decides the POST."""

    permission_required = "changes.view_changerequest"
    form_class = ChangeForm
    template_name = "changes/change_form.html"

    def dispatch(self, request, *args, **kwargs):
        # The form's door for every method: a POST from a role that does not raise changes
        # is refused before its input is read, as the API refuses it (not answered with the
        # form and its errors).
        if request.user.is_authenticated and not permissions.may_raise(request.user):
            raise PermissionDenied("Your role does not raise changes.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        problem = _fixed_problem(self.request)
        if problem is not None:
            from handover.problems.selectors import prefill_change

            return prefill_change(problem)
        milestone_id = self.request.GET.get("milestone")
        if not milestone_id:
            return super().get_initial()
        from portfolio.selectors import milestones

        milestone = get_object_or_404(
            milestones().select_related("project"),
            pk=milestone_id if milestone_id.isdigit() else 0,
            kind=MilestoneKind.GO_LIVE,
        )
        return prefill.from_go_live(milestone)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("items", [])
        data.pop("version", None)  # a new change has no earlier version
        try:
            self.object = services.change_create(requester=self.request.user, items=items, **data)
        except ValidationError as exc:
            form.add_error(None, exc)  # the service's reasons, on the fields they name
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.object.number} raised. Move it to assessment when it is ready for review.",
        )
        _record_fix(self.request, self.object)
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(fixes_problem=_fixed_problem(self.request), **kwargs)


# --- Problem management (issue 17): a change raised to fix a problem -----------------------


def _fixed_problem(request):
    """The problem a change is raised to fix (`?problem=` on the form, a hidden field of its
    POST), when there is one."""
    from handover.problems.selectors import problems

    value = request.POST.get("problem") or request.GET.get("problem") or ""
    if not value.isdigit() or len(value) > 12:
        return None
    return problems().filter(pk=value).first()


def _record_fix(request, change) -> None:
    """Record the change just raised as its problem's fix; a raiser who may not edit the
    problem is told, the change stays raised."""
    from handover.problems import services as problem_services

    problem = _fixed_problem(request)
    if problem is None:
        return
    try:
        problem_services.problem_fixed_by(problem=problem, change=change, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.warning(
            request, f"{change.number} is not recorded as the fix of {problem.number}: {exc}"
        )
    else:
        messages.info(request, f"{change.number} is recorded as the fix of {problem.number}.")


class ChangeUpdateView(PermissionRequiredMixin, UpdateView):
    """Edit a draft change. The form is shown to whoever may edit it (`may_edit`) while it
    is a draft; `change_update` decides the POST."""

    permission_required = "changes.view_changerequest"
    form_class = ChangeForm
    template_name = "changes/change_form.html"
    queryset = ChangeRequest.objects.select_related("implementer")

    def get(self, request, *args, **kwargs):
        change = self.get_object()
        if not permissions.may_edit(request.user, change):
            raise PermissionDenied("Engineers edit the changes they raised or implement.")
        if change.state not in EDITABLE_STATES:
            refuse(
                request,
                TransitionRefused(
                    "Only a new change or one in assessment is edited; send it back to new first.",
                    allowed=[],
                    current=change.state,
                ),
            )
            return redirect_back(request, change.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # The same door for the POST: refused before its input is read, as in the API.
        if not permissions.may_edit(request.user, self.get_object()):
            raise PermissionDenied("Engineers edit the changes they raised or implement.")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("items", None)
        loaded = data.pop("version", None) or None
        change = self.get_object()
        try:
            self.object = services.change_update(
                change=change, by=self.request.user, items=items, expected_version=loaded, **data
            )
        except StaleVersion as exc:
            return stale_form(self, form, exc)
        except TransitionRefused as exc:
            refuse(self.request, exc)
            return redirect_back(self.request, change.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)  # the service's reasons, on the fields they name
            return self.form_invalid(form)
        messages.success(self.request, f"{self.object.number} saved.")
        return redirect(self.object)
