"""What people do to a change from its page and the CAB queue: move it, decide on it,
override its risk, grant a freeze exception, record its review. Each POST calls one service;
a refusal comes back as a message, or for htmx as the card re-rendered with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from itsm_pmo.domain import TransitionRefused
from itsm_pmo.page_actions import attempt, redirect_back, refusal_text

from . import selectors, services
from .choices import ChangeState, Outcome
from .forms import DecisionForm, ReasonForm, ReviewForm, RiskOverrideForm
from .insight import insights
from .models import ChangeRequest


def _back(request, change: ChangeRequest):
    return redirect_back(request, change.get_absolute_url())


def _form_error(request, form) -> None:
    messages.error(request, " ".join(f"{e}" for errors in form.errors.values() for e in errors))


@require_POST
@permission_required("changes.transition_changerequest", raise_exception=True)
def change_transition_view(request, pk):
    change = get_object_or_404(ChangeRequest.objects.select_related("implementer"), pk=pk)
    if not selectors.may_work_on(request.user, change):
        raise PermissionDenied("Engineers move the changes they raised or implement.")
    to, comment = request.POST.get("to", ""), request.POST.get("comment", "")
    if attempt(
        request,
        lambda: services.change_transition(change=change, to=to, by=request.user, comment=comment),
    ):
        label = ChangeState(to).label.lower()
        messages.success(request, f"{change.number} moved to {label}.")
    return _back(request, change)


@require_POST
@permission_required("changes.approve_changerequest", raise_exception=True)
def change_decide_view(request, pk):
    """Approve or reject; from the CAB queue (htmx) the card is swapped for the outcome."""
    change = get_object_or_404(ChangeRequest.objects.select_related("implementer"), pk=pk)
    form = DecisionForm(request.POST)
    error, approval = None, None
    if not form.is_valid():
        error = "Choose approve or reject."
    else:
        try:
            approval = services.change_approve(
                change=change, approver=request.user, **form.cleaned_data
            )
        except (TransitionRefused, ValidationError, PermissionDenied) as exc:
            error = refusal_text(exc)
    if request.htmx:
        change = selectors.change_list().get(pk=pk)
        if approval is not None:
            return render(
                request, "changes/_cab_decided.html", {"change": change, "approval": approval}
            )
        card = selectors.cab_queue(request.user, ChangeRequest.objects.filter(pk=pk))
        if not card:  # decided elsewhere meanwhile: nothing left to decide here
            return render(request, "changes/_cab_decided.html", {"change": change, "error": error})
        return render(
            request,
            "changes/_cab_card.html",
            {"change": card[0], "insight": insights(card)[pk], "error": error},
            status=409 if "already" in (error or "") else 400,
        )
    if error:
        messages.error(request, error)
    else:
        noun = "approval" if approval.decision == "approve" else "rejection"
        messages.success(request, f"Your {noun} of {change.number} is recorded.")
    return _back(request, change)


@require_POST
@permission_required("changes.approve_changerequest", raise_exception=True)
def change_risk_view(request, pk):
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = RiskOverrideForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    elif attempt(
        request,
        lambda: services.risk_override_set(change=change, by=request.user, **form.cleaned_data),
    ):
        messages.success(request, f"Risk of {change.number} updated.")
    return _back(request, change)


@require_POST
@permission_required("changes.grant_freeze_exception", raise_exception=True)
def change_freeze_exception_view(request, pk):
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this change may run during the freeze.")
    elif attempt(
        request,
        lambda: services.freeze_exception_grant(
            change=change, by=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, f"{change.number} may run during the freeze.")
    return _back(request, change)


@require_POST
@permission_required("changes.add_postimplementationreview", raise_exception=True)
def change_review_view(request, pk):
    change = get_object_or_404(ChangeRequest.objects.select_related("implementer"), pk=pk)
    if not selectors.may_work_on(request.user, change):
        raise PermissionDenied("Engineers review the changes they raised or implement.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    elif review := attempt(
        request, lambda: services.review_record(change=change, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, f"Review of {change.number} recorded.")
        if review.outcome in (Outcome.FAILED, Outcome.BACKED_OUT):
            # What went wrong is clearest now: ask for the lesson before the page is left.
            from knowledge.surfacing import ask_for_lesson

            if lesson_form := ask_for_lesson("change", change.pk, request.user):
                return redirect(lesson_form)
    return _back(request, change)
