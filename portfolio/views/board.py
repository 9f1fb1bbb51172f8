"""The PMO lead's triage board: a column per stage, cards in rank order."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Exists, OuterRef
from django.views.generic import TemplateView

from resources.selectors import open_conflict_counts

from .. import selectors
from ..choices import MilestoneKind
from ..filtersets import BoardFilterSet
from ..models import Milestone, Project
from ..permissions import may_create_project, may_move_project
from ..workflow import MOVES, facts_from, held_from_subquery


class BoardView(PermissionRequiredMixin, TemplateView):
    permission_required = "portfolio.view_project"
    template_name = "portfolio/board.html"

    def get_context_data(self, **kwargs):
        go_live = Milestone.objects.filter(project=OuterRef("pk"), kind=MilestoneKind.GO_LIVE)
        # Everyone with the role reads the whole board; engineers open only their projects.
        projects = Project.objects.annotate(
            has_go_live=Exists(go_live), held_from=held_from_subquery()
        )
        filterset = BoardFilterSet(
            self.request.GET or None, queryset=projects, request=self.request
        )
        filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else projects
        columns, finished = selectors.board(filtered)
        ids = [card.project.pk for column in columns for card in column.cards]
        openable = set(
            selectors.projects_visible_to(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        conflicts = open_conflict_counts(ids)
        for column in columns:
            for card in column.cards:
                facts = facts_from(
                    card.project,
                    unscored=card.missing,
                    has_go_live=card.project.has_go_live,
                    held_from=card.project.held_from,
                )
                # The card's menu and its drag targets: every move of the table out of
                # its stage, each open or closed with its reasons.
                card.project.moves = MOVES.options(card.project.stage, facts, self.request.user)
                card.project.allowed = [m.to for m in card.project.moves if not m.blockers]
                card.project.needs_comment = [m.to for m in card.project.moves if m.move.comment]
                card.project.openable = card.project.pk in openable
                card.project.open_conflicts = conflicts.get(card.project.pk, 0)
        return super().get_context_data(
            columns=columns,
            finished=finished,
            filterset=filterset,
            is_filtered=filterset.is_bound and filterset.is_valid(),
            can_move=may_move_project(self.request.user),
            can_create=may_create_project(self.request.user),
            total=sum(len(c.cards) for c in columns),
            **kwargs,
        )
