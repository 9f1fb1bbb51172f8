"""`GET /api/dashboard/`: the dashboard's metrics and charts as JSON, with the page's range
and scope; `?format=csv` writes one of its tables (`table=metrics`, the default, or a chart's
key) for a spreadsheet."""

from __future__ import annotations

import csv
import io

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, renderers, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from ..permissions import may_read_dashboard
from ..spreadsheet import spreadsheet_safe
from . import board
from .forms import PRESETS, DashboardForm
from .period import Period

METRICS_TABLE = "metrics"


class CSVRenderer(renderers.BaseRenderer):
    """Rows (lists) as CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        for row in data:
            writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in row])
        return out.getvalue().encode(self.charset)


class DashboardPermission(permissions.BasePermission):
    message = "The dashboard is for the portal's roles."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_read_dashboard(
            request.user
        )


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Null when it cannot be computed.")
    previous = serializers.FloatField(allow_null=True, help_text="The previous period's value.")
    change = serializers.FloatField(allow_null=True, help_text="value − previous.")
    unit = serializers.CharField()
    why_missing = serializers.CharField(help_text="Why the value is null; else empty.")
    drill = serializers.CharField(
        source="drill.url", allow_null=True, help_text="The list whose count is the value."
    )


class SeriesSerializer(serializers.Serializer):
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.FloatField(allow_null=True))
    drills = serializers.SerializerMethodField(
        help_text="Per label, the list behind this series' bar; null when the row's drill applies."
    )

    @extend_schema_field(
        serializers.ListField(child=serializers.CharField(allow_null=True), allow_null=True)
    )
    def get_drills(self, series: board.Series) -> list[str | None] | None:
        return [d.url if d else None for d in series.drills] if series.drills else None


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bar", "hbar", "stacked", "line"])
    unit = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    series = SeriesSerializer(many=True)
    drills = serializers.SerializerMethodField(help_text="Per label, the list behind it.")
    empty = serializers.CharField(help_text="Why there is nothing to draw; else empty.")
    note = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField(allow_null=True)))
    def get_drills(self, chart: board.Chart) -> list[str | None]:
        return [drill.url if drill else None for _, _, drill in chart.rows()]


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.SerializerMethodField(help_text="Per row: its cells and its list.")
    empty = serializers.CharField()
    note = serializers.CharField()

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    )
    def get_rows(self, table: board.Table) -> list[dict]:
        return [
            {"cells": cells, "drill": drill.url if drill else None} for cells, drill in table.rows
        ]


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    lead = serializers.CharField()
    note = serializers.CharField()
    tiles = MetricSerializer(many=True)
    charts = ChartSerializer(many=True)
    tables = TableSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class DashboardSerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous = PeriodSerializer()
    objective = serializers.IntegerField(allow_null=True)
    service = serializers.IntegerField(allow_null=True)
    sections = SectionSerializer(many=True)


def metrics_rows(sections: list[board.Section]) -> list[list]:
    rows: list[list] = [
        ["section", "key", "label", "value", "previous", "change", "unit", "why_missing", "drill"]
    ]
    for section in sections:
        for m in section.tiles:
            drill = m.drill.url if m.drill else ""
            rows.append(
                [section.key, m.key, m.label, m.value, m.previous, m.change, m.unit]
                + [m.why_missing, drill]
            )
    return rows


def chart_rows(chart: board.Chart) -> list[list]:
    rows: list[list] = [["label", *[s.label for s in chart.series], "drill"]]
    for label, cells, drill in chart.rows():
        rows.append([label, *[value for value, _ in cells], drill.url if drill else ""])
    return rows


def table_rows(sections: list[board.Section], table: str) -> list[list]:
    if table == METRICS_TABLE:
        return metrics_rows(sections)
    charts = {chart.key: chart for section in sections for chart in section.charts}
    tables = {t.key: t for section in sections for t in section.tables}
    if table in tables:
        found = tables[table]
        return [[*found.columns, "drill"]] + [
            [*cells, drill.url if drill else ""] for cells, drill in found.rows
        ]
    if table not in charts:
        known = ", ".join([METRICS_TABLE, *charts, *tables])
        raise exceptions.ValidationError({"table": [f"No such table; choose one of: {known}."]})
    return chart_rows(charts[table])


def read_period(query) -> Period:
    form = DashboardForm(query)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                name: [e["message"] for e in errors]
                for name, errors in form.errors.get_json_data().items()
            }
        )
    return form.period()


QUERY = [
    OpenApiParameter("format", str, enum=["json", "csv"], description="Default json."),
    OpenApiParameter("range", str, enum=list(PRESETS), description="Default this_quarter."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="With range=custom: first day."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="With range=custom: last day."),
    OpenApiParameter("objective", int, description="Narrow to one strategic objective."),
    OpenApiParameter("service", int, description="Narrow to one service."),
    OpenApiParameter(
        "table", str, description="With format=csv: `metrics` (default) or a chart's key."
    ),
]


class DashboardView(APIView):
    """The executive dashboard's metrics and charts (docs/metrics.md defines each)."""

    permission_classes = [DashboardPermission]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]

    @extend_schema(
        parameters=QUERY,
        responses={
            (200, "application/json"): DashboardSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        period = read_period(request.query_params)
        sections = board.build(period)
        if request.accepted_renderer.format == "csv":
            table = request.query_params.get("table") or METRICS_TABLE
            rows = table_rows(sections, table)
            name = f"dashboard-{table}-{period.start}-{period.end}.csv"
            disposition = f'attachment; filename="{name}"'
            return Response(rows, headers={"Content-Disposition": disposition})
        return Response(
            DashboardSerializer(
                {
                    "period": period,
                    "previous": period.previous(),
                    "objective": period.scope.objective,
                    "service": period.scope.service,
                    "sections": sections,
                }
            ).data
        )

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:  # DRF's answer to a `format` it has no renderer for
            raise exceptions.ValidationError(
                {"format": ["Choose json (the default) or csv."]}
            ) from None

    def handle_exception(self, exc):
        # An error is the portal's JSON error body, also when a CSV was asked for: a client
        # reads it the same way as every other endpoint's.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


dashboard = DashboardView.as_view()
