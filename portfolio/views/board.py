"""The PMO lead's triage board: a column per stage, cards in rank order, a page of each."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.views.generic import TemplateView

from resources.selectors import open_conflict_counts

from .. import selectors
from ..choices import BOARD_STAGES, MilestoneKind
from ..filtersets import BoardFilterSet
from ..models import Milestone, Project
from ..permissions import may_create_project, may_move_project, may_read_projects
from ..workflow import MOVES, facts_from, held_from_subquery

# Cards a column shows at first, and how many more each "show more" adds: a column of
# hundreds of cards is not read card by card, its best-ranked ones are.
COLUMN_PAGE = 15
COLUMN_MAX = 1000


def column_limits(query) -> dict[str, int]:
    """How many cards each column shows: `n_<stage>` of the query, else one page."""
    limits = {}
    for stage in BOARD_STAGES:
        try:
            wanted = int(query.get(f"n_{stage}", COLUMN_PAGE))
        except ValueError:
            wanted = COLUMN_PAGE
        limits[str(stage)] = min(max(wanted, COLUMN_PAGE), COLUMN_MAX)
    return limits


def url_maker(name: str):
    """`pk -> url` for a project URL, reversed once rather than once per card."""
    template = reverse(name, args=[999999999])
    return lambda pk: template.replace("999999999", str(pk))


class BoardView(PermissionRequiredMixin, TemplateView):
    permission_required = "portfolio.view_project"
    template_name = "portfolio/board.html"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("column") in BOARD_STAGES:
            return ["portfolio/_board_column.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        go_live = Milestone.objects.filter(project=OuterRef("pk"), kind=MilestoneKind.GO_LIVE)
        # Everyone with the role reads the whole board; engineers open only their projects.
        projects = Project.objects.annotate(
            has_go_live=Exists(go_live), held_from=held_from_subquery()
        )
        query = self.request.GET.copy()
        for key in ["column", *(f"n_{stage}" for stage in BOARD_STAGES)]:
            query.pop(key, None)
        filterset = BoardFilterSet(query or None, queryset=projects, request=self.request)
        is_filtered = filterset.is_bound and filterset.is_valid()
        filtered = filterset.qs if is_filtered else projects
        limits = column_limits(self.request.GET)
        columns, finished = selectors.board(filtered, limits=limits)
        ids = [card.project.pk for column in columns for card in column.cards]  # shown ones
        openable = may_read_projects(self.request.user)
        conflicts = open_conflict_counts(ids)
        detail_url = url_maker("portfolio:project_detail")
        move_url = url_maker("portfolio:project_transition")
        wanted = self.request.GET.get("column") if self.request.htmx else None
        for column in columns:
            if wanted and column.stage != wanted:
                continue  # a "show more" re-renders only its own column
            for card in column.cards:
                p = card.project
                facts = facts_from(
                    p, unscored=card.missing, has_go_live=p.has_go_live, held_from=p.held_from
                )
                # The card's menu and its drag targets: every move of the table out of
                # its stage, each open or closed with its reasons.
                p.moves = MOVES.options(p.stage, facts, self.request.user)
                p.allowed = ",".join(m.to for m in p.moves if not m.blockers)
                p.needs_comment = ",".join(m.to for m in p.moves if m.move.comment)
                p.url = detail_url(p.pk)
                p.move_url = move_url(p.pk)
                p.openable = openable
                p.open_conflicts = conflicts.get(p.pk, 0)
                p.score_text = f"{card.score:.1f}"
                p.missing_text = ", ".join(card.missing)
                p.health_text = p.get_health_display()
            column.more_query = self._more_query(query, limits, column)
        column = self.request.GET.get("column")
        return super().get_context_data(
            columns=columns,
            column=next((c for c in columns if c.stage == column), None),
            finished=finished,
            filterset=filterset,
            is_filtered=is_filtered,
            can_move=may_move_project(self.request.user),
            can_create=may_create_project(self.request.user),
            total=sum(c.total for c in columns),
            next_url=self.request.get_full_path(),
            **kwargs,
        )

    @staticmethod
    def _more_query(query, limits, column) -> str:
        """The query string that shows one more page of `column`, the other columns as now."""
        more = query.copy()
        for stage, limit in limits.items():
            if limit != COLUMN_PAGE:
                more[f"n_{stage}"] = str(limit)
        more[f"n_{column.stage}"] = str(limits[column.stage] + COLUMN_PAGE)
        return more.urlencode()
