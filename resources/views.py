from django.db.models import Prefetch

from itsm_pmo.generic import FilteredListView, PortalDetailView

from . import selectors
from .filtersets import TeamFilterSet
from .models import Person, PersonSkill, Team


class TeamListView(FilteredListView):
    permission_required = "resources.view_team"
    queryset = selectors.team_list()
    filterset_class = TeamFilterSet
    template_name = "resources/team_list.html"


class TeamDetailView(PortalDetailView):
    permission_required = "resources.view_team"
    template_name = "resources/team_detail.html"

    def get_queryset(self):
        return Team.objects.select_related("manager").prefetch_related(
            Prefetch("members", queryset=selectors.person_list().order_by("name"))
        )


class PersonDetailView(PortalDetailView):
    permission_required = "resources.view_person"
    template_name = "resources/person_detail.html"

    def get_queryset(self):
        return Person.objects.select_related("team", "user").prefetch_related(
            Prefetch("skill_levels", queryset=PersonSkill.objects.select_related("skill"))
        )
