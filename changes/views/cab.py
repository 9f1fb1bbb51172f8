"""The CAB queue: what waits for my decision, with what I need to decide."""

from django.core.paginator import Paginator
from django.shortcuts import render

from itsm_pmo.workflow import require
from resources.selectors import plan_status

from .. import selectors
from ..insight import insights
from ..permissions import may_sit_on_cab

# Cards a reviewer reads at a time: each carries its impact, collisions and load, so the
# insight is computed for this page only (the count says how many wait in all).
CAB_PAGE_SIZE = 20


def cab_queue_view(request):
    # The page's door is the CAB's own rule: a member of a group a policy names sits on it.
    require(may_sit_on_cab(request.user), "Only members of the CAB open its queue.")
    waiting = selectors.cab_queue_ids(request.user)
    page = Paginator(waiting, CAB_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = selectors.cab_cards(list(page.object_list))
    found = insights(cards)
    return render(
        request,
        "changes/cab_queue.html",
        {
            "cards": [(change, found[change.pk]) for change in cards],
            "waiting": len(waiting),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "plan": plan_status(),
        },
    )
