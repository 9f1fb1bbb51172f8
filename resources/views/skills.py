"""The skills matrix: supply vs demand per skill per month, from the current snapshot."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from .. import fit_selectors
from ..selectors import plan_status

MONTH_CHOICES = (6, 12)


class SkillsMatrixView(PermissionRequiredMixin, TemplateView):
    permission_required = "resources.view_skill"
    template_name = "resources/skills_matrix.html"

    def get_context_data(self, **kwargs):
        months = 12 if self.request.GET.get("months") == "12" else 6
        status = plan_status()
        matrix = (fit_selectors.skills_matrix(status.snapshot, months=months)
                  if status.snapshot else None)
        return super().get_context_data(status=status, snapshot=status.snapshot, matrix=matrix,
                                        months=months, month_choices=MONTH_CHOICES, **kwargs)
