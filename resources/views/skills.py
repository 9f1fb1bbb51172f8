"""The skills matrix: supply vs demand per skill per month, from the current snapshot."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from ..selectors import plan_status, skills_matrix

MONTH_CHOICES = (6, 12)
# The legend of MonthCell.band.
BANDS = (
    (1, "under 50 %"),
    (2, "50–80 %"),
    (3, "80–95 %"),
    (4, "95–100 %"),
    (5, "100–110 %"),
    (6, "110–125 %"),
    (7, "over 125 %"),
)


class SkillsMatrixView(PermissionRequiredMixin, TemplateView):
    permission_required = "resources.view_skill"
    template_name = "resources/skills_matrix.html"

    def get_context_data(self, **kwargs):
        months = 12 if self.request.GET.get("months") == "12" else 6
        status = plan_status()
        matrix = skills_matrix(status.snapshot, months=months) if status.snapshot else None
        return super().get_context_data(
            status=status,
            snapshot=status.snapshot,
            matrix=matrix,
            months=months,
            month_choices=MONTH_CHOICES,
            bands=BANDS,
            **kwargs,
        )
