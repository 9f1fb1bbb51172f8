"""Handover pages: the list by state with readiness, one handover with its checklist, sign-off,
early-life support and incidents; the POSTs that move it and tick its checks.

The POSTs hold no rule of their own: the services refuse (403 for a permission, 409 for a move
the table refuses now, 400 for bad input), and the pages only ask the predicates which buttons
and forms to show."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, UpdateView

from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back, refuse

from . import selectors, services
from .choices import CheckStatus, HandoverState
from .filtersets import HandoverFilterSet
from .forms import CheckForm, HandoverForm
from .models import Handover, ReadinessCheck
from .permissions import ACCEPT, may_assign_check, may_move, may_plan, may_update_check
from .readiness import mandatory_open_message, readiness_summary
from .workflow import MOVES


def relative_days(days: int | None) -> str:
    """ "in 3 days", "today", "2 days ago"; empty without a date."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    n = abs(days)
    text = f"{n} day{'' if n == 1 else 's'}"
    return f"in {text}" if days > 0 else f"{text} ago"


def incident_url(incident) -> str:
    try:
        return incident.get_absolute_url()
    except NoReverseMatch:  # the incident pages are not wired in
        return f"/incidents/{incident.pk}/"


class HandoverListView(FilteredListView):
    permission_required = "handover.view_handover"
    filterset_class = HandoverFilterSet
    template_name = "handover/handover_list.html"
    queryset = selectors.handover_list().order_by(F("go_live_on").asc(nulls_last=True), "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for handover in context["object_list"]:
            handover.checks_settled = handover.checks_done + handover.checks_waived
            handover.readiness_percent = (
                round(100 * handover.checks_settled / handover.checks_total)
                if handover.checks_total
                else 0
            )
            handover.go_live_hint = relative_days(
                (handover.go_live_on - today).days if handover.go_live_on else None
            )
        counts = dict(
            Handover.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        chosen = self.request.GET.getlist("state")
        context["state_tabs"] = [
            (state.value, state.label, counts.get(state.value, 0), chosen == [state.value])
            for state in HandoverState
        ]
        context["total_count"] = sum(counts.values())
        return context


def move_buttons(handover: Handover, facts, user, *, stated: str = "") -> list[dict]:
    """The sign-off panel's buttons from the move table: each with why it is closed. A reason
    the panel already states (`stated`, the open mandatory checks, in the element
    `#mandatory-open`) is pointed to, not said again beside the button."""
    buttons = []
    for option in MOVES.options(handover.state, facts, user):
        reasons = list(option.blockers)
        if not option.permitted:
            who = (
                "Only an ITSM manager accepts a handover."
                if option.move.permission == ACCEPT
                else "Your role may not make this move."
            )
            reasons.insert(0, who)
        shown = [reason for reason in reasons if not (stated and reason == stated)]
        described_by = ([f"why-{option.to}"] if shown else []) + (
            ["mandatory-open"] if len(shown) < len(reasons) else []
        )
        buttons.append(
            {
                "to": option.to,
                "label": option.label,
                "comment": option.move.comment,
                "blocked": bool(reasons),
                "reasons": shown,
                "described_by": described_by,
            }
        )
    return buttons


class HandoverDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "handover.view_handover"
    template_name = "handover/handover_detail.html"
    context_object_name = "handover"
    queryset = selectors.handover_detail()

    def get_context_data(self, **kwargs):
        handover, user = self.object, self.request.user
        today = timezone.localdate()
        checks = list(handover.checks.all())
        editable_state = handover.state in services.CHECKS_EDITABLE
        for check in checks:
            check.editable = editable_state and may_update_check(user, check)
        readiness = readiness_summary(checks)
        incidents = list(
            handover.project.incidents.select_related("service").order_by("-opened_at", "-pk")
        )
        for incident in incidents:
            incident.url = incident_url(incident)
        els = services.els_for(
            handover,
            today=today,
            go_live=handover.go_live_on,
            incidents=[(i.opened_at, i.priority) for i in incidents],
        )
        facts = services.facts_from(
            handover, go_live=handover.go_live_on, readiness=readiness, els=els, today=today
        )
        assigns = bool(checks) and editable_state and may_assign_check(user, checks[0])
        # Said once, above the buttons; the acceptance it holds back points to it.
        mandatory_open = mandatory_open_message(readiness.mandatory_open)
        return super().get_context_data(
            checks=checks,
            readiness=readiness,
            facts=facts,
            els=els,
            incidents=incidents,
            moves=move_buttons(handover, facts, user, stated=mandatory_open),
            mandatory_open_message=mandatory_open,
            can_move=may_move(user, handover),
            can_edit=may_plan(user, handover),
            # Thousands of people: each check's owner is searched as you type, not listed.
            assigns=assigns,
            owner_search_url=reverse("handover:filter_options", kwargs={"field": "owner"}),
            status_choices=CheckStatus.choices,
            today=today,
            go_live_hint=relative_days(
                (handover.go_live_on - today).days if handover.go_live_on else None
            ),
            **_knowledge_of(handover, self.request),
            **kwargs,
        )


def _knowledge_of(handover, request) -> dict:
    """Lessons of earlier handovers into the same service, and, once operations run it, the ask
    for what they learnt (a hint during early-life support, a prompt once closed)."""
    from knowledge import selectors as knowledge

    user = request.user
    ending = handover.state in (HandoverState.EARLY_LIFE_SUPPORT, HandoverState.CLOSED)
    return {
        "lessons_panel": knowledge.lessons_for_handover(
            handover, user, next_url=request.get_full_path()
        ),
        "lesson_ask_url": knowledge.ask_for_lesson("handover", handover.pk, user) if ending else "",
        "own_lessons": knowledge.lessons_of("handover", handover.pk, user),
    }


class HandoverUpdateView(PermissionRequiredMixin, UpdateView):
    """The planning form; it is shown to those who may plan (the service decides the POST)."""

    permission_required = "handover.view_handover"
    form_class = HandoverForm
    template_name = "handover/handover_form.html"
    queryset = Handover.objects.select_related("project")
    context_object_name = "handover"

    def dispatch(self, request, *args, **kwargs):
        # The form's door for every method: a POST from a role that does not plan is refused
        # before its input is read, as the API refuses it.
        if request.user.is_authenticated and not may_plan(request.user, self.get_object()):
            raise PermissionDenied("Only PMO leads and ITSM managers plan a handover.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            self.object = services.handover_update(
                handover=self.object, by=self.request.user, fields=fields
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, "Handover saved.")
        return redirect(self.object)


@require_POST
def handover_transition_view(request, pk):
    handover = get_object_or_404(Handover, pk=pk)
    to, comment = request.POST.get("to", ""), request.POST.get("comment", "")
    if attempt(
        request,
        lambda: services.handover_transition(
            handover=handover, to=to, by=request.user, comment=comment
        ),
    ):
        messages.success(request, f"Handover moved to {HandoverState(to).label.lower()}.")
        if to == HandoverState.CLOSED:
            # Operations know now what the handover missed: ask them while they remember.
            from knowledge.selectors import ask_for_lesson

            if lesson_form := ask_for_lesson("handover", handover.pk, request.user):
                return redirect(lesson_form)
    return redirect_back(request, handover.get_absolute_url())


@require_POST
def check_update_view(request, pk, check_pk):
    check = get_object_or_404(
        ReadinessCheck.objects.select_related("owner", "criterion", "handover"),
        pk=check_pk,
        handover_id=pk,
    )
    form = CheckForm(request.POST)
    if not form.is_valid():
        refuse(request, ValidationError(_form_errors(form)))
    else:
        data = dict(form.cleaned_data)
        if "owner" not in request.POST:
            data.pop("owner")  # no owner field: the owner stays as it is
        if attempt(request, lambda: services.check_update(check=check, by=request.user, **data)):
            messages.success(request, f"“{check.criterion.name}” updated.")
    return redirect_back(request, f"{check.handover.get_absolute_url()}#check-{check.pk}")


def _form_errors(form) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in form.errors.items()}
