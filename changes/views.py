"""Change pages: the list and one change with its impact, risk factors and approvals."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView

from itsm_pmo.generic import FilteredListView

from . import selectors
from .filtersets import ChangeFilterSet
from .services import facts_for
from .workflow import allowed_moves


class ChangeListView(FilteredListView):
    permission_required = "changes.view_changerequest"
    filterset_class = ChangeFilterSet
    template_name = "changes/change_list.html"
    queryset = selectors.change_list().order_by("-planned_start", "-pk")


class ChangeDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "changes.view_changerequest"
    template_name = "changes/change_detail.html"
    context_object_name = "change"

    def get_queryset(self):
        return selectors.change_list().prefetch_related("approvals__approver",
                                                        "transitions__by")

    def get_context_data(self, **kwargs):
        change = self.object
        items, services = selectors.impact_of(change)
        collisions = selectors.colliding_changes(change)
        freezes = selectors.freezes_overlapping(change)
        return super().get_context_data(
            impacted_items=items, impacted_services=services, collisions=collisions,
            freezes=freezes, assessment=selectors.risk_of(change, services=services,
                                                          collisions=collisions,
                                                          freezes=freezes),
            allowed=allowed_moves(facts_for(change)), **kwargs)
