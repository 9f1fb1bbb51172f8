"""API permission classes: the Django permissions of the caller's role, per model and action."""

from rest_framework import permissions


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """Reads need `view_<model>`, writes `add_`/`change_`/`delete_`; anonymous gets 401.

    A view may name the permission of a custom action in `action_permissions`,
    e.g. {"transition": "portfolio.transition_project"}.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        action_perm = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if action_perm:
            return request.user.has_perm(action_perm)
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            # A non-model endpoint states its own rule; by default any signed-in user.
            return True
        return super().has_permission(request, view)
