from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .home import my_work
from .roles import Role, roles_of

ROLE_INTRO = {
    Role.PMO_LEAD: "Triage the portfolio, check it fits the capacity and plan handovers.",
    Role.ITSM_MANAGER: "Approve changes, keep the change calendar and sign off handovers.",
    Role.ENGINEER: "Raise changes, log incidents and tick the readiness checks assigned to you.",
    Role.EXECUTIVE: "Read portfolio health, capacity, change success and operational impact.",
}


@require_GET
def home(request):
    """My work: what waits for the signed-in user, by role."""
    names = roles_of(request.user)
    intros = [(Role(name).label, ROLE_INTRO[Role(name)]) for name in sorted(names)]
    return render(
        request,
        "home.html",
        {"panels": my_work(request.user), "role_intros": intros, "has_role": bool(names)},
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
