"""One article, the form that writes or edits it, and the POST that publishes, unpublishes or
archives it. An article the user may not read is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from handover.choices import IncidentState
from handover.models import Incident
from itsm_pmo.page_actions import attempt

from .. import prefill, selectors, services
from ..choices import KnowledgeState
from ..forms import ArticleForm
from .common import DONE_TEXT, add_service_errors, history_of, moves_for

EDITABLE = ("title", "kind", "service", "next_review", "body")
SETTLED = (IncidentState.RESOLVED, IncidentState.CLOSED)


class ArticleDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "knowledge.view_article"
    template_name = "knowledge/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return selectors.articles_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        article, user = self.object, self.request.user
        today = timezone.localdate()
        return super().get_context_data(
            may_publish=selectors.may_publish_articles(user),
            can_edit=selectors.may_edit_article(user, article),
            review_due=article.next_review <= today,
            review_days=(article.next_review - today).days,
            moves=moves_for(article.state),
            history=history_of(article),
            **kwargs,
        )


class ArticleFormMixin(PermissionRequiredMixin):
    form_class = ArticleForm
    template_name = "knowledge/article_form.html"

    def saved(self, article):
        user = self.request.user
        published = (
            "publish" in self.request.POST
            and selectors.may_publish_articles(user)
            and article.state != KnowledgeState.PUBLISHED
            and attempt(
                self.request,
                lambda: services.article_transition(
                    article=article, to=KnowledgeState.PUBLISHED, by=user
                ),
            )
        )
        if published:
            messages.success(self.request, "Article saved and published: everyone can find it now.")
        elif article.state == KnowledgeState.DRAFT:
            messages.success(
                self.request, "Article saved as a draft. A PMO lead or ITSM manager publishes it."
            )
        else:
            messages.success(self.request, "Article saved.")
        return redirect(article)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_publish=selectors.may_publish_articles(self.request.user), **kwargs
        )


class ArticleCreateView(ArticleFormMixin, FormView):
    """Write an article; `?incident=<id>` drafts a known error from that incident."""

    permission_required = "knowledge.add_article"

    @cached_property
    def start(self) -> tuple[Incident | None, str]:
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
        return Incident.objects.select_related("service")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "incidents": self.incidents()}

    def get_initial(self):
        incident = self.start[0]
        if incident is not None:
            return prefill.article_initial_from_incident(incident)
        return {"next_review": prefill.default_next_review()}

    def get_context_data(self, **kwargs):
        incident, error = self.start
        return super().get_context_data(
            incident=incident,
            incident_error=error,
            incident_unsettled=incident is not None and incident.state not in SETTLED,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            article = services.article_create(owner=self.request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.saved(article)


class ArticleEditView(ArticleFormMixin, FormView):
    """Edit an article the user may read; its state moves only by publishing."""

    permission_required = "knowledge.change_article"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.article = get_object_or_404(
            selectors.articles_visible_to(request.user), pk=kwargs["pk"]
        )
        if not selectors.may_edit_article(request.user, self.article):
            raise PermissionDenied(
                "Only its owner, a PMO lead or an ITSM manager edits an article."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {name: getattr(self.article, name) for name in EDITABLE}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            article=self.article, incident=self.article.incident, **kwargs
        )

    def form_valid(self, form):
        try:
            article = services.article_update(
                article=self.article, by=self.request.user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.saved(article)


@require_POST
@permission_required("knowledge.publish_article", raise_exception=True)
def article_transition_view(request, pk):
    """Publish, unpublish or archive: PMO leads and ITSM managers; a refusal is a message."""
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
    to = request.POST.get("to", "")
    if attempt(
        request,
        lambda: services.article_transition(
            article=article, to=to, by=request.user, comment=request.POST.get("comment", "")
        ),
    ):
        messages.success(request, f"“{article.title}” {DONE_TEXT[to]}.")
    return redirect(article)
