"""The CAB queue: what waits for my decision, with what I need to decide."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from resources.selectors import plan_status

from .. import selectors
from ..insight import insights

# Cards a reviewer reads at a time: each carries its impact, collisions and load, so the
# insight is computed for this page only (the count says how many wait in all).
CAB_PAGE_SIZE = 20


@permission_required("changes.approve_changerequest", raise_exception=True)  # the page's door
def cab_queue_view(request):
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
