"""One lesson, the form that writes or edits it, and the POST that publishes, unpublishes or
archives it. A lesson the user may not read is a 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from itsm_pmo.page_actions import attempt

from .. import prefill, selectors, services
from ..choices import KnowledgeState
from ..forms import LessonForm
from ..similar import similar_lessons
from .common import DONE_TEXT, add_service_errors, history_of, moves_for

EDITABLE = ("title", "category", "impact", "service", "what_happened", "recommendation")


class LessonDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "knowledge.view_lesson"
    template_name = "knowledge/lesson_detail.html"
    context_object_name = "lesson"

    def get_queryset(self):
        return selectors.lessons_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        lesson, user = self.object, self.request.user
        related = [
            other
            for other in similar_lessons(
                text=f"{lesson.title} {lesson.recommendation}",
                category=lesson.category,
                service_ids=[lesson.service_id] if lesson.service_id else [],
                limit=5,
            )
            if other.pk != lesson.pk
        ][:4]
        return super().get_context_data(
            may_publish=selectors.may_publish_lessons(user),
            can_edit=selectors.may_edit_lesson(user, lesson),
            moves=moves_for(lesson.state),
            history=history_of(lesson),
            related=related,
            **kwargs,
        )


class LessonFormMixin(PermissionRequiredMixin):
    form_class = LessonForm
    template_name = "knowledge/lesson_form.html"

    def publish_if_asked(self, lesson) -> bool:
        """The publishers' "Save and publish": publish a lesson that is not published yet."""
        user = self.request.user
        if "publish" not in self.request.POST or not selectors.may_publish_lessons(user):
            return False
        if lesson.state == KnowledgeState.PUBLISHED:
            return False
        return bool(
            attempt(
                self.request,
                lambda: services.lesson_transition(
                    lesson=lesson, to=KnowledgeState.PUBLISHED, by=user
                ),
            )
        )

    def saved(self, lesson, verb: str):
        if self.publish_if_asked(lesson):
            messages.success(
                self.request, f"Lesson {verb} and published: everyone can find it now."
            )
        elif lesson.state == KnowledgeState.DRAFT:
            messages.success(
                self.request, f"Lesson {verb} as a draft. A PMO lead or ITSM manager publishes it."
            )
        else:
            messages.success(self.request, f"Lesson {verb}.")
        return redirect(lesson)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_publish=selectors.may_publish_lessons(self.request.user), **kwargs
        )


class LessonCreateView(LessonFormMixin, FormView):
    """Write a lesson; `?project=`, `?change=`, `?incident=` or `?handover=` starts it from
    the work that just ended."""

    permission_required = "knowledge.add_lesson"

    @cached_property
    def start(self) -> dict:
        """The source the query string names, with what the form starts from."""
        kind, source, error = prefill.source_from_query(self.request.GET, self.request.user)
        initial = prefill.lesson_initial(kind, source) if source is not None else {}
        return {
            "source_kind": kind,
            "source": source,
            "source_error": error,
            "prompt": initial.get("prompt", ""),
            "initial": initial,
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sources": prefill.sources_visible_to(self.request.user),
        }

    def get_initial(self):
        return {**super().get_initial(), **self.start["initial"]}

    def get_context_data(self, **kwargs):
        start = {k: v for k, v in self.start.items() if k != "initial"}
        return super().get_context_data(**start, **kwargs)

    def form_valid(self, form):
        try:
            lesson = services.lesson_create(
                author=self.request.user, tags=form.cleaned_data["tags"], **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.saved(lesson, "saved")


class LessonEditView(LessonFormMixin, FormView):
    """Edit a lesson the user may read; its source stays, its state moves only by publishing."""

    permission_required = "knowledge.change_lesson"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.lesson = get_object_or_404(selectors.lessons_visible_to(request.user), pk=kwargs["pk"])
        if not selectors.may_edit_lesson(request.user, self.lesson):
            raise PermissionDenied(
                "Only its author, a PMO lead or an ITSM manager edits a "
                "lesson. Write your own to add to it."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        lesson = self.lesson
        return {
            **{name: getattr(lesson, name) for name in EDITABLE},
            "tags": ", ".join(tag.name for tag in lesson.tags.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lesson=self.lesson,
            source=self.lesson.source,
            source_kind=self.lesson.source_kind,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            lesson = services.lesson_update(
                lesson=self.lesson,
                by=self.request.user,
                tags=form.cleaned_data["tags"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.saved(lesson, "saved")


@require_POST
@permission_required("knowledge.publish_lesson", raise_exception=True)
def lesson_transition_view(request, pk):
    """Publish, unpublish or archive: PMO leads and ITSM managers; a refusal is a message."""
    lesson = get_object_or_404(selectors.lessons_visible_to(request.user), pk=pk)
    to = request.POST.get("to", "")
    if attempt(
        request,
        lambda: services.lesson_transition(
            lesson=lesson, to=to, by=request.user, comment=request.POST.get("comment", "")
        ),
    ):
        messages.success(request, f"“{lesson.title}” {DONE_TEXT[to]}.")
    return redirect(lesson)
