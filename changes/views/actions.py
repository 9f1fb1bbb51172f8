"""What people do to a change from its page and the CAB queue: move it, decide on it,
override its risk, grant a freeze exception, record or correct its review.

Each POST validates its form and calls one service, which decides who may: a refusal of the
user is the 403 page (as in the API), a move the workflow refuses or bad input is said on
the page it came from, answered 409 or 400. From the CAB queue (htmx) the card is swapped
for the outcome, or re-rendered with the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from itsm_pmo.page_actions import attempt, redirect_back, refusal_status, refusal_text, refuse
from itsm_pmo.workflow import TransitionRefused

from .. import selectors, services
from ..choices import ChangeState, Outcome
from ..forms import DecisionForm, ReasonForm, ReviewForm, RiskOverrideForm
from ..insight import insights
from ..models import ChangeRequest, PostImplementationReview


def _back(request, change: ChangeRequest):
    return redirect_back(request, change.get_absolute_url())


def _form_error(request, form) -> None:
    """Say what is wrong with the form, and answer 400 on the page it came from."""
    refuse(request, ValidationError([e for errors in form.errors.values() for e in errors]))


@require_POST
def change_transition_view(request, pk):
    change = get_object_or_404(ChangeRequest, pk=pk)
    to, comment = request.POST.get("to", ""), request.POST.get("comment", "")
    if attempt(
        request,
        lambda: services.change_transition(change=change, to=to, by=request.user, comment=comment),
    ):
        label = ChangeState(to).label.lower()
        messages.success(request, f"{change.number} moved to {label}.")
    return _back(request, change)


@require_POST
def change_decide_view(request, pk):
    """Approve or reject; from the CAB queue (htmx) the card is swapped for the outcome."""
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = DecisionForm(request.POST)
    refused, approval = None, None
    if not form.is_valid():
        refused = ValidationError("Choose approve or reject.")
    else:
        try:
            approval = services.change_approve(
                change=change, approver=request.user, **form.cleaned_data
            )
        except (TransitionRefused, ValidationError) as exc:
            refused = exc
    error = refusal_text(refused) if refused else None
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
            status=refusal_status(refused) if refused else 400,
        )
    if refused:
        refuse(request, refused)
    else:
        noun = "approval" if approval.decision == "approve" else "rejection"
        messages.success(request, f"Your {noun} of {change.number} is recorded.")
    return _back(request, change)


@require_POST
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
def change_freeze_exception_view(request, pk):
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        refuse(request, ValidationError("Say why this change may run during the freeze."))
    elif attempt(
        request,
        lambda: services.freeze_exception_grant(
            change=change, by=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, f"{change.number} may run during the freeze.")
    return _back(request, change)


def _after_review(request, change: ChangeRequest, review: PostImplementationReview, verb: str):
    messages.success(request, f"Review of {change.number} {verb}.")
    if review.outcome in (Outcome.FAILED, Outcome.BACKED_OUT):
        # What went wrong is clearest now: ask for the lesson before the page is left.
        from knowledge.selectors import ask_for_lesson

        if lesson_form := ask_for_lesson("change", change.pk, request.user):
            return redirect(lesson_form)
    return _back(request, change)


@require_POST
def change_review_view(request, pk):
    """Record the post-implementation review."""
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    elif review := attempt(
        request, lambda: services.review_record(change=change, by=request.user, **form.cleaned_data)
    ):
        return _after_review(request, change, review, "recorded")
    return _back(request, change)


@require_POST
def change_review_correct_view(request, pk):
    """Correct the recorded review; the change's outcome follows it."""
    review = get_object_or_404(PostImplementationReview.objects.select_related("change"), change=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    elif corrected := attempt(
        request,
        lambda: services.review_correct(review=review, by=request.user, **form.cleaned_data),
    ):
        return _after_review(request, review.change, corrected, "corrected")
    return _back(request, review.change)
