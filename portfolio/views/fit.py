"""Portfolio fit: do the approved and proposed projects fit the capacity, skill by skill."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from resources.selectors import plan_status

from ..selectors import portfolio_fit


class PortfolioFitView(PermissionRequiredMixin, TemplateView):
    permission_required = "portfolio.view_project"
    template_name = "portfolio/fit.html"

    def get_context_data(self, **kwargs):
        status = plan_status()
        report = portfolio_fit(status.snapshot, user=self.request.user) if status.snapshot else None
        return super().get_context_data(
            status=status, snapshot=status.snapshot, report=report, **kwargs
        )
