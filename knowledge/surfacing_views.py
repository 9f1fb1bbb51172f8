"""The panels that bring lessons to other apps' pages: similar lessons as the user types, and
"Mark as applied". Both answer htmx with a fragment; the apply POST also works without it."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from itsm_pmo.htmx_errors import form_refusal
from itsm_pmo.page_actions import redirect_back, refusal_text

from . import selectors, services
from .choices import LessonCategory

# The contexts a lesson is applied in, besides a proposal's title: "project:12" and friends.
CONTEXT = re.compile(r"^(project|change|handover):([0-9]+)$")
MAX_TEXT = 2000


class IdsField(forms.Field):
    """A repeatable parameter of whole numbers (`?services=3&services=8`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = [str(v).strip() for v in value or () if str(v).strip()]
        if bad := [v for v in values if not (v.isascii() and v.isdigit())]:
            raise ValidationError(f"Ids are whole numbers, not “{bad[0]}”.")
        # An unknown id is harmless: it boosts nothing.
        return [int(v) for v in values]


class SimilarForm(forms.Form):
    """The query of the similar-lessons panel; the intake form sends `name` for the title."""

    title = forms.CharField(required=False, max_length=MAX_TEXT)
    name = forms.CharField(required=False, max_length=MAX_TEXT)
    summary = forms.CharField(required=False, max_length=20_000)
    text = forms.CharField(required=False, max_length=20_000)
    services = IdsField(required=False)
    category = forms.ChoiceField(required=False, choices=[("", ""), *LessonCategory.choices])
    context = forms.RegexField(
        required=False,
        regex=CONTEXT,
        error_messages={"invalid": "Say project:<id>, change:<id> or handover:<id>, or nothing."},
    )
    exclude_project = forms.IntegerField(required=False, min_value=1)


def _current_page(request) -> str:
    """The page the panel sits on (htmx says which), for the apply button's fallback."""
    return (request.htmx.current_url_abs_path or "") if request.htmx else ""


@require_GET
@permission_required("knowledge.view_lesson", raise_exception=True)
def similar_view(request):
    """The five published lessons most like the title and summary being written."""
    form = SimilarForm(request.GET)
    if not form.is_valid():
        return form_refusal(form, message="Similar lessons cannot be looked up for this:")
    data = form.cleaned_data
    title = (data["title"] or data["name"]).strip()
    summary = (data["summary"] or data["text"]).strip()[:MAX_TEXT]
    found = selectors.lessons_for_proposal(
        request.user,
        title=title,
        summary=summary,
        service_ids=data["services"],
        category=data["category"],
        context=data["context"],
        exclude_project_id=data["exclude_project"],
        next_url=_current_page(request),
    )
    return render(request, "knowledge/_lessons_panel.html", {"panel": found})


def _context_of(request) -> str:
    """The context key of a mark from the POST: an object's (one the user may mark in, else a
    404 as if it did not exist) or a proposal's title."""
    raw = request.POST.get("context", "").strip()
    if not raw:
        return services.application_context(proposal=request.POST.get("proposal", ""))
    found = CONTEXT.match(raw)
    if found is None:
        raise ValidationError({"context": "Say project:<id>, change:<id> or handover:<id>."})
    kind, pk = found.groups()
    place = get_object_or_404(selectors.application_places(request.user)[kind], pk=pk)
    return services.application_context(**{kind: place})


@require_POST
@login_required
def lesson_apply_view(request, pk):
    """Mark a published lesson as applied here: counted once per person and context. The
    service decides who may (a role without the right is a 403, as in the API)."""
    lesson = get_object_or_404(selectors.lessons_visible_to(request.user), pk=pk)
    button = {
        "lesson": lesson,
        "in_context": request.POST.get("context", ""),
        "proposal": request.POST.get("proposal", ""),
        "next": request.POST.get("next", ""),
    }
    try:
        lesson, created = services.lesson_mark_applied(
            lesson=lesson, by=request.user, context=_context_of(request)
        )
    except ValidationError as exc:
        if request.htmx:
            return render(
                request,
                "knowledge/_apply_button.html",
                {**button, "error": refusal_text(exc)},
                status=400,
            )
        messages.error(request, refusal_text(exc))
        return redirect_back(request, lesson.get_absolute_url())
    if request.htmx:
        return render(
            request, "knowledge/_apply_button.html", {**button, "lesson": lesson, "applied": True}
        )
    if created:
        messages.success(request, f"“{lesson.title}” marked as applied ({lesson.applied_count}×).")
    else:
        messages.info(request, f"You had already marked “{lesson.title}” as applied here.")
    return redirect_back(request, lesson.get_absolute_url())
