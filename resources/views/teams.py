"""Teams and people: the directory, a team's people × weeks, a person's load and work."""

from django.db.models import Prefetch
from django.utils import timezone

from itsm_pmo.dates import short_date
from itsm_pmo.generic import FilteredListView, PortalDetailView

from .. import selectors
from ..filtersets import TeamFilterSet
from ..heatmap import team_people_rows
from ..models import Absence, Person, PersonSkill, Team
from ..permissions import may_plan_for, may_plan_team
from .heatmap import HEATMAP_WEEKS


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

    def get_context_data(self, **kwargs):
        status = selectors.plan_status()
        rows, weeks = ([], [])
        if status.snapshot:
            rows, weeks = team_people_rows(status.snapshot, self.object, weeks=HEATMAP_WEEKS)
        return super().get_context_data(
            status=status,
            rows=rows,
            weeks=weeks,
            can_plan=may_plan_team(self.request.user, self.object),
            **kwargs,
        )


class PersonDetailView(PortalDetailView):
    permission_required = "resources.view_person"
    template_name = "resources/person_detail.html"

    def get_queryset(self):
        return Person.objects.select_related("team", "team__manager", "user").prefetch_related(
            Prefetch("skill_levels", queryset=PersonSkill.objects.select_related("skill"))
        )

    def get_context_data(self, **kwargs):
        person = self.object
        today = timezone.localdate()
        status = selectors.plan_status()
        cells = (
            selectors.person_cells(status.snapshot, person, weeks=HEATMAP_WEEKS)
            if status.snapshot
            else []
        )
        allocations = selectors.allocations_ahead(person)
        absences = Absence.objects.filter(person=person, end_date__gte=today)
        conflicts = (
            selectors.conflicts_in(status.snapshot)
            .filter(subject_type="person", subject_id=person.pk)
            .order_by("period_start")
        )
        return super().get_context_data(
            status=status,
            cells=cells,
            allocations=allocations,
            absences=absences,
            conflicts=conflicts,
            can_plan=may_plan_for(self.request.user, person),
            chart={
                "labels": [short_date(c.week) for c in cells],
                "capacity": [c.capacity for c in cells],
                "project": [c.project for c in cells],
                "operational": [c.operational for c in cells],
            },
            **kwargs,
        )
