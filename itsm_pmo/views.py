from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .home import PAGE_SIZE, Clock, entries_of, inbox, my_work, source_for
from .roles import Role, roles_of

ROLE_INTRO = {
    Role.PMO_LEAD: "Triage the portfolio, check it fits the capacity and plan handovers.",
    Role.ITSM_MANAGER: "Approve changes, keep the change calendar and sign off handovers.",
    Role.ENGINEER: "Raise changes, log incidents and tick the readiness checks assigned to you.",
    Role.EXECUTIVE: "Read portfolio health, capacity, change success and operational impact.",
}


@require_GET
def home(request):
    """My work: the user's inbox from every app, most urgent first, and what surrounds it."""
    names = roles_of(request.user)
    intros = [(Role(name).label, ROLE_INTRO[Role(name)]) for name in sorted(names)]
    shown = inbox(request.user)
    request.my_work_inbox = shown  # the navigation's count, from the inbox on the page
    return render(
        request,
        "home.html",
        {
            "inbox": shown,
            "panels": my_work(request.user),
            "role_intros": intros,
            "has_role": bool(names) or request.user.is_superuser,
        },
    )


class _Entries:
    """One kind of work as the paginator reads it: its count, then the slice of one page."""

    def __init__(self, source, user, clock: Clock, total: int):
        self.source, self.user, self.clock, self.total = source, user, clock, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice):
        items = self.source.entries(self.user, self.clock, page.start or 0, page.stop)
        return entries_of(items, self.clock)


@require_GET
def my_work_list(request, kind: str):
    """One kind of work of the user's inbox, whole, most urgent first, a page at a time."""
    source = source_for(request.user, kind)
    if source is None:
        raise Http404("No such kind of work in your inbox.")
    clock = Clock.current()
    tally = source.tally(request.user, clock)
    paginator = Paginator(_Entries(source, request.user, clock, tally.total), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "my_work_list.html",
        {
            "source": source,
            "tally": tally,
            "entries": page.object_list,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": paginator.num_pages > 1,
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers and operators: no business data, so no login."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


AREAS = {
    "portfolio": {
        "title": "Portfolio",
        "icon": "kanban",
        "lead": "One portfolio for projects and the operations they land on.",
        "points": [
            "Intake that captures support requirements from day one",
            "Scoring against strategic objectives, with a ranking that explains itself",
            "The PMO lead's triage board, from proposal to handover",
        ],
    },
    "changes": {
        "title": "Changes",
        "icon": "arrow-repeat",
        "lead": "Change control that knows the project plan and the people.",
        "points": [
            "Requests for change with impact over configuration items",
            "CAB approval with quorum, segregation of duties and an emergency path",
            "One change calendar with freezes, go-lives and collisions",
        ],
    },
    "handover": {
        "title": "Handover",
        "icon": "box-arrow-in-right",
        "lead": "Operations in from the day a project is approved, not at go-live.",
        "points": [
            "Readiness checks with owners and evidence",
            "Operational sign-off and early-life support",
            "Incidents logged against the projects and changes that caused them",
        ],
    },
    "knowledge": {
        "title": "Knowledge",
        "icon": "journal-text",
        "lead": "Lessons met at the moment they matter.",
        "points": [
            "Lessons learned captured where work ends",
            "Knowledge articles and runbooks with full-text search",
            "Relevant lessons surfaced on intake, changes and handovers",
        ],
    },
}


@require_GET
def area_overview(request, area: str):
    """The landing page of a discipline whose pages have not been built yet."""
    return render(request, "area.html", {"area": AREAS[area]})


class SignInView(LoginView):
    """The sign-in form; without a `next`, each person lands on their home: the executive
    (and only the executive) on the dashboard, everyone else on their inbox."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if roles_of(self.request.user) == {Role.EXECUTIVE}:
            return resolve_url("dashboard")
        return super().get_default_redirect_url()
