"""One lesson, the form that writes or edits it, and the POST that publishes, unpublishes or
archives it. A lesson the user may not read is a 404, as if it did not exist."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.functional import cached_property
from django.views.generic import FormView

from .. import prefill, services
from ..forms import LessonForm
from ..permissions import may_edit_lesson
from ..selectors import lessons_visible_to
from ..services import lesson_transition
from ..similar import similar_lessons
from ..workflow import LESSON_MOVES
from .common import (
    Kind,
    KnowledgeDetailView,
    KnowledgeEditMixin,
    KnowledgeFormMixin,
    KnowledgeTransitionView,
)

LESSON = Kind(LESSON_MOVES, lessons_visible_to, may_edit_lesson, lesson_transition)


class LessonDetailView(KnowledgeDetailView):
    """One lesson, with up to four related ones."""

    kind = LESSON

    def get_context_data(self, **kwargs):
        lesson = self.object
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
        return super().get_context_data(related=related, writer=lesson.author, **kwargs)


class LessonFormMixin(KnowledgeFormMixin, PermissionRequiredMixin):
    kind, form_class, list_url = LESSON, LessonForm, "knowledge:index"
    source_label = "Where this lesson comes from"


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

    def cancel_url(self) -> str:
        source = self.start["source"]
        return source.get_absolute_url() if source is not None else super().cancel_url()

    def get_context_data(self, **kwargs):
        start = {k: v for k, v in self.start.items() if k != "initial"}
        return super().get_context_data(**start, **kwargs)

    def write(self, form):
        return services.lesson_create(author=self.request.user, **form.service_fields())


class LessonEditView(KnowledgeEditMixin, LessonFormMixin, FormView):
    """Edit a lesson the user may read; its source stays, its state moves only by publishing."""

    permission_required = "knowledge.view_lesson"
    editable = ("title", "category", "impact", "service", "what_happened", "recommendation")

    def get_initial(self):
        tags = ", ".join(tag.name for tag in self.object.tags.all())
        return {**super().get_initial(), "tags": tags}

    def get_context_data(self, **kwargs):
        lesson = self.object
        return super().get_context_data(
            lesson=lesson, source=lesson.source, source_kind=lesson.source_kind, **kwargs
        )

    def write(self, form):
        return services.lesson_update(
            lesson=self.object, by=self.request.user, **form.service_fields()
        )


class LessonTransitionView(KnowledgeTransitionView):
    """POST: publish, unpublish or archive a lesson."""

    kind = LESSON
