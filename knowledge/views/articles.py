"""One article, the form that writes or edits it, and the POST that publishes, unpublishes or
archives it. An article the user may not read is a 404."""

from typing import TYPE_CHECKING

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView

from handover.choices import IncidentState
from handover.incidents import selectors as incident_selectors

from .. import prefill, services
from ..forms import ArticleForm
from ..permissions import may_edit_article
from ..selectors import articles_visible_to
from ..services import article_transition
from ..workflow import ARTICLE_MOVES
from .common import (
    Kind,
    KnowledgeDetailView,
    KnowledgeEditMixin,
    KnowledgeFormMixin,
    KnowledgeTransitionView,
)

if TYPE_CHECKING:
    from handover.models import Incident

SETTLED = (IncidentState.RESOLVED, IncidentState.CLOSED)

ARTICLE = Kind(ARTICLE_MOVES, articles_visible_to, may_edit_article, article_transition)


class ArticleDetailView(KnowledgeDetailView):
    """One article, and whether its review is due."""

    kind = ARTICLE

    def get_context_data(self, **kwargs):
        article, today = self.object, timezone.localdate()
        return super().get_context_data(
            writer=article.owner,
            review_due=article.next_review <= today,
            review_days=(article.next_review - today).days,
            **kwargs,
        )


class ArticleFormMixin(KnowledgeFormMixin, PermissionRequiredMixin):
    kind, form_class, list_url = ARTICLE, ArticleForm, "knowledge:article_list"
    source_label = "The incident this article comes from"


class ArticleCreateView(ArticleFormMixin, FormView):
    """Write an article; `?incident=<id>` drafts a known error from that incident."""

    permission_required = "knowledge.add_article"

    @cached_property
    def start(self) -> "tuple[Incident | None, str]":
        """The incident the query string names, or why there is none."""
        raw = (self.request.GET.get("incident") or "").strip()
        if not raw:
            return None, ""
        is_id = raw.isascii() and raw.isdigit()
        incident = self.incidents().filter(pk=raw).first() if is_id else None
        if incident is None:
            return None, f"There is no incident {raw}, so this article starts without a source."
        return incident, ""

    def incidents(self):
        return incident_selectors.incidents().select_related("service")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sources": {"incident": self.incidents()}}

    def get_initial(self):
        incident = self.start[0]
        if incident is not None:
            return prefill.article_initial_from_incident(incident)
        return {"next_review": prefill.default_next_review()}

    def cancel_url(self) -> str:
        incident = self.start[0]
        return incident.get_absolute_url() if incident is not None else super().cancel_url()

    def get_context_data(self, **kwargs):
        incident, error = self.start
        return super().get_context_data(
            incident=incident,
            source=incident,
            source_kind="incident",
            source_error=error,
            incident_unsettled=incident is not None and incident.state not in SETTLED,
            **kwargs,
        )

    def write(self, form):
        return services.article_create(owner=self.request.user, **form.service_fields())


class ArticleEditView(KnowledgeEditMixin, ArticleFormMixin, FormView):
    """Edit an article the user may read; its state moves only by publishing."""

    permission_required = "knowledge.view_article"
    editable = ("title", "kind", "service", "next_review", "body")

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            article=article,
            incident=article.incident,
            source=article.incident,
            source_kind="incident",
            **kwargs,
        )

    def write(self, form):
        return services.article_update(
            article=self.object, by=self.request.user, **form.service_fields()
        )


class ArticleTransitionView(KnowledgeTransitionView):
    """POST: publish, unpublish or archive an article."""

    kind = ARTICLE
