"""Base page views every app builds on: a permission rule, a shared FilterSet, pagination."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView, ListView


class FilteredListView(PermissionRequiredMixin, ListView):
    """A list page filtered by the same FilterSet as its API endpoint, paginated.

    Subclasses set `permission_required`, `filterset_class` and `queryset` (usually a
    selector), so the page and the API show the same rows for the same query string.
    """

    filterset_class = None
    paginate_by = 25

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        return self.filterset.qs if self.filterset.is_bound else self.filterset.queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=self.filterset,
            query_string=query.urlencode(),
            is_filtered=any(v for k, v in self.request.GET.items() if k != "page"),
        )
        return context


class PortalDetailView(PermissionRequiredMixin, DetailView):
    """A detail page with a permission rule."""
