"""The skills matrix: supply vs demand per skill per month, from the current snapshot.

Its cells change only with a new snapshot: they are formatted once in Python per snapshot and
months shown and cached (the key holds the snapshot's id and publication time); the page shows
a page of skills at a time, searchable by name, and says how many there are.

Whether committed work fits is not read from the months (a month's total hides a short week
and a level nobody holds): the verdict and each skill's flag are the portfolio fit's own
calculation of the committed work (`resources.selectors.committed_fit`), so the two pages
cannot disagree about it.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.html import escape
from django.views.generic import TemplateView

from ..engine.fit import MonthCell
from ..selectors import (
    SNAPSHOT_CACHE_SECONDS,
    SkillRow,
    committed_fit,
    plan_status,
    skills_matrix,
    snapshot_cache_key,
)

MONTH_CHOICES = (6, 12)
SKILLS_PER_PAGE = 40
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


def _whole(value: float) -> str:
    """Whole hours, halves up (as `floatformat:0` shows them)."""
    return str(int(value + 0.5)) if value >= 0 else str(-int(-value + 0.5))


def cell_html(name: str, cell: MonthCell) -> str:
    """One cell of the matrix as HTML: committed / free hours, proposals, the tooltip."""
    split = ""
    if cell.supply_by_level:
        split = (
            " ("
            + " · ".join(
                f"level {level}: {_whole(hours)} h" for level, hours in cell.supply_by_level
            )
            + ")"
        )
    committed_share = f" ({round(cell.committed / cell.supply * 100)} %)" if cell.supply else ""
    with_proposals = ""
    if cell.supply and cell.proposed and cell.ratio_with_proposals is not None:
        with_proposals = f" (with them {round(cell.ratio_with_proposals * 100)} %)"
    title = (
        f"{name}, {cell.month:%B %Y}&#10;Free: {_whole(cell.supply)} h{split}"
        f"&#10;Committed demand: {_whole(cell.committed)} h{committed_share}"
        f"&#10;Proposals: {_whole(cell.proposed)} h{with_proposals}"
    )
    proposals = ""
    if cell.proposed:
        warn = (
            '<i class="bi bi-exclamation-triangle-fill sm-warn-icon me-1"'
            ' title="Short with the proposals"></i>'
            if cell.short_with_proposals
            else ""
        )
        proposals = f'<div class="sm-prop">{warn}+{_whole(cell.proposed)} proposed</div>'
    if cell.band >= 5:
        hidden = '<span class="visually-hidden">short</span>'
    elif cell.short_with_proposals:
        hidden = '<span class="visually-hidden">short with proposals</span>'
    else:
        hidden = ""
    return (
        f'<td class="sm-cell sm-b{cell.band}" data-month="{cell.month:%Y-%m}"'
        f' data-supply="{cell.supply:.1f}" data-committed="{cell.committed:.1f}"'
        f' data-proposed="{cell.proposed:.1f}" title="{title}">'
        f'<div class="sm-main">{_whole(cell.committed)} <span class="sm-of">/'
        f" {_whole(cell.supply)} h</span></div>{proposals}{hidden}</td>"
    )


def rows_html(snapshot, rows: list[SkillRow], months: int) -> dict[int, str]:
    """Every skill row's cells as HTML, formatted once per snapshot and months shown."""
    first = rows[0].cells[0].month if rows and rows[0].cells else None
    key = snapshot_cache_key(snapshot, "skills-html", months, first)
    found = cache.get(key)
    if found is None:
        found = {
            row.skill.pk: "".join(cell_html(escape(row.skill.name), c) for c in row.cells)
            for row in rows
        }
        cache.set(key, found, SNAPSHOT_CACHE_SECONDS)
    return found


class SkillsMatrixView(PermissionRequiredMixin, TemplateView):
    permission_required = "resources.view_skill"
    template_name = "resources/skills_matrix.html"

    def get_context_data(self, **kwargs):
        months = 12 if self.request.GET.get("months") == "12" else 6
        query = self.request.GET.get("q", "").strip()
        status = plan_status()
        matrix = skills_matrix(status.snapshot, months=months) if status.snapshot else None
        committed = committed_fit(status.snapshot) if status.snapshot else None
        short = committed.by_skill() if committed else {}
        page = None
        cells: dict[int, str] = {}
        if matrix is not None:
            rows = matrix.rows
            if query:
                rows = [row for row in rows if query.lower() in row.skill.name.lower()]
            page = Paginator(rows, SKILLS_PER_PAGE).get_page(self.request.GET.get("page"))
            html = rows_html(status.snapshot, matrix.rows, months)
            cells = {row.skill.pk: html.get(row.skill.pk, "") for row in page.object_list}
        query_string = self.request.GET.copy()
        query_string.pop("page", None)
        return super().get_context_data(
            status=status,
            snapshot=status.snapshot,
            matrix=matrix,
            page_obj=page,
            paginator=page.paginator if page else None,
            is_paginated=bool(page and page.paginator.num_pages > 1),
            query=query,
            query_string=query_string.urlencode(),
            rows=[(row, cells[row.skill.pk], short.get(row.skill.pk)) for row in page.object_list]
            if page
            else [],
            committed=committed,
            skills_short=len(short),
            months=months,
            month_choices=MONTH_CHOICES,
            bands=BANDS,
            **kwargs,
        )
