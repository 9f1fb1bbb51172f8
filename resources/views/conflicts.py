"""Every conflict of the current snapshot: filter, and acknowledge with a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from itsm_pmo.generic import FilteredListView
from itsm_pmo.page_actions import attempt, redirect_back

from .. import selectors, services
from ..filtersets import ConflictFilterSet
from ..models import Conflict
from ..permissions import may_acknowledge_conflicts


class ConflictListView(FilteredListView):
    permission_required = "resources.view_conflict"
    filterset_class = ConflictFilterSet
    template_name = "resources/conflict_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.queryset = (
            Conflict.objects.select_related("person", "team", "acknowledged_by")
            .prefetch_related("projects")
            .order_by("period_start", "subject_label")
        )
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.queryset, request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each row links its projects: written once in Python, not a template loop per row.
        for conflict in context["object_list"]:
            conflict.project_links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((p.get_absolute_url(), p.code) for p in conflict.projects.all()),
            )
        context.update(
            status=selectors.plan_status(),
            can_acknowledge=may_acknowledge_conflicts(self.request.user),
            is_filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "state")),
        )
        return context


@require_POST
@login_required
def acknowledge_view(request):
    """Acknowledge the conflicts ticked on the list; the service decides who may."""
    ids = [int(i) for i in request.POST.getlist("conflict") if i.isdigit()]
    count = attempt(
        request,
        lambda: services.conflicts_acknowledge(
            conflict_ids=ids, by=request.user, comment=request.POST.get("comment", "")
        ),
    )
    if count is not None:
        messages.success(request, f"{count} conflict{'s' if count != 1 else ''} acknowledged.")
    return redirect_back(request, reverse("resources:conflict_list"))
