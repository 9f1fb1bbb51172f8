"""The notification pages: the user's own list, opening one, marking read, the preferences."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..page_actions import attempt, redirect_back
from ..page_cache import page_cache_exempt
from . import selectors, services
from .events import Delivery
from .filtersets import NotificationFilterSet
from .permissions import may_read_notifications

PAGE_SIZE = 25


def _require_reader(request: HttpRequest) -> None:
    if not may_read_notifications(request.user):
        raise Http404


def _own(request: HttpRequest, pk: int):
    """One of the user's notifications; another user's is not there for them (404)."""
    return get_object_or_404(selectors.notifications_of(request.user), pk=pk)


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread or all, a page at a time."""
    _require_reader(request)
    mine = selectors.notifications_of(request.user)
    filterset = NotificationFilterSet(request.GET, queryset=mine)
    rows = filterset.qs if filterset.is_valid() else mine
    shown = "unread" if filterset.is_valid() and filterset.form.cleaned_data["unread"] else "all"
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.user)
    request.notification_unread = unread  # type: ignore[attr-defined]  # the header's too
    return render(
        request,
        "notifications/notification_list.html",
        {
            "shown": shown,
            "notifications": page.object_list,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.paginator.num_pages > 1,
            "query_string": "unread=true" if shown == "unread" else "",
            "unread": unread,
            "unread_shown": selectors.UNREAD_SHOWN,
        },
    )


@page_cache_exempt  # it marks the notification read
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes to what it is about (or back to the
    list when it is about nothing with a page of its own)."""
    _require_reader(request)
    notification = services.notification_mark_read(notification=_own(request, pk), by=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect("notifications:list")
    return redirect(target)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read (its recipient only: another user's is a 404)."""
    _require_reader(request)
    services.notification_mark_read(notification=_own(request, pk), by=request.user)
    return redirect_back(request, "/notifications/")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all of the user's notifications read."""
    _require_reader(request)
    marked = services.notifications_mark_all_read(by=request.user)
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect_back(request, "/notifications/")


@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Which events the user is told of, in the portal and by e-mail."""
    _require_reader(request)
    if request.method == "POST":
        choices = {
            row.event: Delivery(
                in_app=f"{row.event}:in_app" in request.POST,
                email=f"{row.event}:email" in request.POST,
            )
            for row in selectors.preferences_of(request.user)
        }
        saved = attempt(
            request,
            lambda: services.notification_preferences_set(by=request.user, choices=choices) or True,
        )
        if saved:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": selectors.preferences_of(request.user)},
    )
