"""The CAB queue: what waits for my decision, with what I need to decide."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from resources.selectors import plan_status

from .. import selectors
from ..insight import insights


@permission_required("changes.approve_changerequest", raise_exception=True)  # the page's door
def cab_queue_view(request):
    queue = selectors.cab_queue(request.user)
    found = insights(queue)
    return render(
        request,
        "changes/cab_queue.html",
        {
            "cards": [(change, found[change.pk]) for change in queue],
            "plan": plan_status(),
        },
    )
