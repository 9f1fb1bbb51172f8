"""Import of projects from a CSV file: parse, check every row, then create all rows or none.

PMOs keep their pipeline in a spreadsheet today; this turns one into projects. `preview()`
reads and checks the file without writing; `import_projects()` checks it again (the database
may have changed since the preview) and writes only a file without a single error.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from itsm_pmo.duplicates import duplicate_message
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import require
from resources import selectors as resources_selectors

from . import services as portfolio_services
from .choices import Cover, Health
from .models import Project, Service, StrategicObjective
from .permissions import may_import_projects
from .rules import ObjectiveLink, objective_link_problems, owner_problem

if TYPE_CHECKING:
    from resources.models import Person, Team

COLUMNS = (
    "code",
    "name",
    "summary",
    "sponsor",
    "owner_email",
    "health",
    "budget",
    "start_date",
    "end_date",
    "support_team",
    "support_effort_hours",
    "support_cover",
    "services",
    "objectives",
)
REQUIRED = ("code", "name")
MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
FILE = 0  # the line number of errors about the file as a whole

EXAMPLE_CSV = (
    "code,name,summary,sponsor,owner_email,health,budget,start_date,end_date,support_team,"
    "support_effort_hours,support_cover,services,objectives\n"
    "PRJ-0101,Self-service password reset,Let staff reset their own passwords,CIO,"
    "ana.lopez@example.org,green,45000,2025-03-03,2025-06-27,Service Desk,4,business_hours,"
    "Identity;Service Desk Portal,Reduce support cost:60;Improve employee experience:40\n"
    "PRJ-0102,Data centre exit,,CFO,,amber,1200000.00,2025-01-06,2026-03-31,Infrastructure,"
    "16,24x7,,Reduce support cost:80\n"
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RowError(NamedTuple):
    """One problem: the line in the file (header = 1, 0 = the whole file), the column, why."""

    line: int
    field: str
    message: str


@dataclass
class ParsedRow:
    """A data row: its text as given (for display) and, once checked, what it will create."""

    line: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    project: dict = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    objectives: list[ObjectiveLink] = field(default_factory=list)

    @property
    def error_fields(self) -> set[str]:
        return {error.field for error in self.errors}

    @property
    def service_names(self) -> list[str]:
        return _split(self.values["services"])

    @property
    def objective_items(self) -> list[str]:
        return _split(self.values["objectives"])


@dataclass
class ImportPreview:
    """What a file would import, and every reason it cannot (yet)."""

    columns: list[str]
    rows: list[ParsedRow]
    file_errors: list[RowError]

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def decode(data: bytes) -> str:
    """The text of an uploaded file, which must be UTF-8 (a BOM, as Excel writes, is fine)."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_too_big())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”."
        ) from None


def preview(file_text: str) -> ImportPreview:
    """Parse and check a CSV file of projects without writing anything."""
    if len(file_text.encode("utf-8")) > MAX_BYTES:
        return ImportPreview([], [], [RowError(FILE, "file", _too_big())])
    try:
        columns, rows, file_errors = _read(file_text.removeprefix("\ufeff"))
    except csv.Error as exc:
        return ImportPreview(
            [], [], [RowError(FILE, "file", f"This is not a readable CSV file ({exc}).")]
        )
    if not file_errors:
        _check(rows, _Lookups.load(rows))
    return ImportPreview(columns, rows, file_errors)


NOTHING_WAITING = "nothing_waiting"
OTHER_FILE = "other_file"


def digest(text: str) -> str:
    """What identifies a previewed file, so that only the file shown is imported."""
    return hashlib.sha256(text.encode()).hexdigest()


def import_projects(
    *, file_text: str | None, by: Actor, digest_shown: str | None = None
) -> list[Project]:
    """Create every project of the file through `project_create`, or none of them: any error
    in any row raises ValidationError and nothing is written. `digest_shown`, when given, must
    be the digest of `file_text` (the file the preview showed)."""
    require(may_import_projects(by), "Only a PMO lead imports projects.")
    if file_text is None:
        raise ValidationError(
            "There is no import waiting for confirmation. Upload the file again.",
            code=NOTHING_WAITING,
        )
    if digest_shown is not None and digest_shown != digest(file_text):
        raise ValidationError(
            "A different file was previewed since this page was shown. Upload the file again.",
            code=OTHER_FILE,
        )
    with transaction.atomic():
        result = preview(file_text)
        if not result.rows and not result.errors:
            raise ValidationError("The file has no data rows.")
        if result.errors:
            raise ValidationError([_describe(error) for error in result.errors])
        try:
            return [_create(row, by) for row in result.rows]
        except IntegrityError:
            # Someone created a project with one of these codes between check and write.
            raise ValidationError(
                "A project with one of these codes was created meanwhile; nothing was "
                "imported. Upload the file again to see which."
            ) from None


def _too_big() -> str:
    return f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; split it into smaller files."


def _too_many() -> str:
    return f"The file has more than {MAX_ROWS:,} projects; split it into smaller files."


def _describe(error: RowError) -> str:
    where = "File" if error.line == FILE else f"Line {error.line}"
    return f"{where}, {error.field}: {error.message}"


def _read(text: str) -> tuple[list[str], list[ParsedRow], list[RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return (
            [],
            [],
            [RowError(1, "header", "The file is empty; the first line must name the columns.")],
        )
    columns = [name.strip().lower() for name in header]
    errors = _check_header(columns)
    if errors:
        return columns, [], errors

    rows: list[ParsedRow] = []
    previous_end = reader.line_num
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and the empty rows spreadsheets leave at the bottom
        if len(rows) == MAX_ROWS:
            return columns, [], [RowError(FILE, "file", _too_many())]
        row = ParsedRow(line, {name: "" for name in COLUMNS})
        for name, cell in zip(columns, cells, strict=False):
            if name:
                row.values[name] = cell.strip()
        if len(cells) > len(columns):
            row.errors.append(
                RowError(
                    line,
                    "row",
                    f"The row has {len(cells)} values but the header names {len(columns)} columns.",
                )
            )
        rows.append(row)
    return columns, rows, []


def _check_header(columns: list[str]) -> list[RowError]:
    named = [name for name in columns if name]  # a spreadsheet may add unnamed empty columns
    errors = []
    unknown = [name for name in named if name not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1,
                "header",
                f"Unknown columns: {', '.join(unknown)}. Known columns: {', '.join(COLUMNS)}.",
            )
        )
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        errors.append(RowError(1, "header", f"Repeated columns: {', '.join(repeated)}."))
    missing = [name for name in REQUIRED if name not in named]
    if missing:
        errors.append(RowError(1, "header", f"Missing required columns: {', '.join(missing)}."))
    return errors


@dataclass
class _Lookups:
    """Everything the rows refer to, loaded with one query per kind, whatever the row count."""

    persons: "dict[str, Person]"
    teams: "dict[str, Team]"
    services: dict[str, Service]
    objectives: dict[str, StrategicObjective]
    taken_codes: set[str]

    @classmethod
    def load(cls, rows: list[ParsedRow]) -> "_Lookups":
        emails = {row.values["owner_email"].lower() for row in rows} - {""}
        codes = {row.values["code"] for row in rows} - {""}
        persons = (
            resources_selectors.people()
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
        )
        # Teams, services and objectives are short catalogues: matching their names in Python
        # keeps the case-insensitive match right for non-ASCII names on every database.
        return cls(
            persons={p.email.lower(): p for p in persons},
            teams={t.name.casefold(): t for t in resources_selectors.teams()},
            services={s.name.casefold(): s for s in Service.objects.all()},
            objectives={o.name.casefold(): o for o in StrategicObjective.objects.all()},
            taken_codes=set(Project.objects.filter(code__in=codes).values_list("code", flat=True)),
        )


def _check(rows: list[ParsedRow], lookups: _Lookups) -> None:
    first_line_of: dict[str, int] = {}
    for row in rows:
        code = row.values["code"]
        if code in first_line_of:
            row.errors.append(
                RowError(
                    row.line, "code", f"“{code}” is already used on line {first_line_of[code]}."
                )
            )
        elif code:
            first_line_of[code] = row.line
        if code in lookups.taken_codes:
            row.errors.append(RowError(row.line, "code", duplicate_message(Project, "code", code)))
        _RowChecker(row, lookups).check()


class _RowChecker:
    """Turns one row's text into model values, recording an error per bad cell."""

    def __init__(self, row: ParsedRow, lookups: _Lookups):
        self.row, self.lookups, self.values = row, lookups, row.values

    def error(self, name: str, message: str) -> None:
        self.row.errors.append(RowError(self.row.line, name, message))

    def check(self) -> None:
        project = self.row.project
        for name in ("code", "name", "sponsor", "summary"):
            project[name] = self.text(name, required=name in REQUIRED)
        project["health"] = self.choice("health", Health, default=Health.GREEN)
        project["support_cover"] = self.choice("support_cover", Cover, default="")
        project["budget"] = self.number("budget")
        project["support_effort_hours"] = self.number("support_effort_hours")
        project["start_date"] = self.date("start_date")
        project["end_date"] = self.date("end_date")
        if (
            project["start_date"]
            and project["end_date"]
            and project["end_date"] < project["start_date"]
        ):
            self.error("end_date", "The end date is before the start date.")
        project["owner"] = self.lookup(
            "owner_email", self.lookups.persons, "No person has the e-mail", key=str.lower
        )
        if problem := owner_problem(project["owner"], current_owner_id=None):
            self.error("owner_email", problem)
        project["support_team"] = self.lookup(
            "support_team", self.lookups.teams, "No team is named"
        )
        self.row.services = self.service_list()
        self.row.objectives = self.objective_list()

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.values[name]
        limit = Project._meta.get_field(name).max_length
        if required and not value:
            self.error(name, f"The {name} is required.")
        elif len(value) > limit:
            self.error(name, f"At most {limit} characters (this has {len(value)}).")
        return value

    def choice(self, name: str, choices, *, default: str) -> str:
        value = self.values[name].lower()
        if not value:
            return default
        if value not in choices.values:
            self.error(name, f"“{self.values[name]}” is not one of: {', '.join(choices.values)}.")
        return value

    def number(self, name: str) -> Decimal | None:
        raw = self.values[name]
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(name, f"“{raw}” is not a number (digits and a dot, e.g. 1250.50).")
            return None
        if value < 0:
            self.error(name, f"{raw} is negative; it must be 0 or more.")
            return None
        try:
            Project._meta.get_field(name).run_validators(value)  # digits and decimal places
        except ValidationError as exc:
            self.error(name, " ".join(exc.messages))
            return None
        return value

    def date(self, name: str) -> date | None:
        raw = self.values[name]
        if not raw:
            return None
        try:
            if not _ISO_DATE.fullmatch(raw):
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            self.error(name, f"“{raw}” is not a date as YYYY-MM-DD (e.g. 2025-03-31).")
            return None

    def lookup(self, name: str, table: dict, missing: str, *, key=str.casefold):
        raw = self.values[name]
        if not raw:
            return None
        found = table.get(key(raw))
        if found is None:
            self.error(name, f"{missing} “{raw}”.")
        return found

    def service_list(self) -> list[Service]:
        found: dict[int, Service] = {}
        for name in _split(self.values["services"]):
            service = self.lookups.services.get(name.casefold())
            if service is None:
                self.error("services", f"No service is named “{name}”.")
            else:
                found[service.pk] = service
        return list(found.values())

    def objective_list(self) -> list[ObjectiveLink]:
        """The cell's links as the service will take them; the rules on links (listed
        twice, 0–100, retired objectives) are the service's, asked here without writing."""
        links: list[ObjectiveLink] = []
        for item in _split(self.values["objectives"]):
            name, colon, percent = (part.strip() for part in item.rpartition(":"))
            if not colon:
                self.error("objectives", f"“{item}” should read “Objective name:percent”.")
                continue
            objective = self.lookups.objectives.get(name.casefold())
            value = percent.removesuffix("%").strip()
            if objective is None:
                self.error("objectives", f"No objective is named “{name}”.")
            elif not value.isascii() or not value.isdigit():
                self.error(
                    "objectives", f"“{percent}” for “{name}” is not a percent from 0 to 100."
                )
            else:
                links.append(ObjectiveLink(objective, int(value)))
        for problem in objective_link_problems(links, {}):
            self.error("objectives", problem)
        return links


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _create(row: ParsedRow, by: Actor) -> Project:
    try:
        return portfolio_services.project_create(
            by=by,
            fields=row.project,
            objectives=row.objectives,
            services=row.services,
            note="Imported from CSV",
        )
    except ValidationError as exc:
        reasons = (
            [f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        raise ValidationError([f"Line {row.line}, {reason}" for reason in reasons]) from None
