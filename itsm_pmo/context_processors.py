"""Template context every page needs: the navigation and the user's roles."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .home import navigation_tally
from .roles import Role, roles_of

# (label, url name, icon, path prefix that marks it active)
NAVIGATION = [
    ("My work", "home", "inbox", "/"),
    ("Dashboard", "dashboard", "graph-up", "/dashboard/"),
    ("Portfolio", "portfolio:index", "kanban", "/portfolio/"),
    ("Resources", "resources:index", "people", "/resources/"),
    ("Changes", "changes:index", "arrow-repeat", "/changes/"),
    ("Incidents", "incidents:index", "life-preserver", "/incidents/"),
    ("Major incidents", "major:index", "exclamation-octagon", "/major-incidents/"),
    ("Handover", "handover:index", "box-arrow-in-right", "/handover/"),
    ("Knowledge", "knowledge:index", "journal-text", "/knowledge/"),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, url_name, icon, prefix in NAVIGATION:
        # "My work" is the home page and the pages of its kinds of work (/my-work/…).
        home = path == "/" or path.startswith("/my-work/")
        active = home if prefix == "/" else path.startswith(prefix)
        items.append({"label": label, "url": reverse(url_name), "icon": icon, "active": active})
    # What waits in the user's inbox, on "My work": read only when a page shows the
    # navigation (fragments do not), and taken from the page itself on the home page.
    items[0]["tally"] = SimpleLazyObject(lambda: _tally(request))
    names = roles_of(user)
    return {
        "notification_badge": SimpleLazyObject(lambda: _badge(request)),
        "nav_items": items,
        "user_roles": [Role(name).label for name in sorted(names)],
    }


def _tally(request):
    shown = getattr(request, "my_work_inbox", None)
    return shown.tally if shown is not None else navigation_tally(request.user)


class _Badge:
    """The header's unread notifications: the number shown ("99+" past 99) and its words."""

    def __init__(self, count: int):
        from .notifications.selectors import UNREAD_SHOWN

        self.count = count
        self.shown = f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)
        self.label = f"{self.shown} unread notification{'' if count == 1 else 's'}"


def _badge(request) -> _Badge:
    # Read only when the page shows the header (fragments do not), and taken from the page
    # itself on the notifications page.
    from .notifications.selectors import header_unread_count

    shown = getattr(request, "notification_unread", None)
    return _Badge(shown if shown is not None else header_unread_count(request.user))
