"""The API's door: the role rule every endpoint checks before its service decides."""

from rest_framework import permissions

CRUD_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy", "metadata"}


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """The role rule at the door of every endpoint; anonymous gets 401.

    Plain CRUD needs the role's Django permission on the model (`view_`, `add_`, `change_`,
    `delete_`), the same rule the admin applies. A domain action (transition, approvals…)
    needs only `view_<model>` here: the service it calls decides who may make it, with the
    app's predicates, so the page, the API and the admin reach one answer.
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
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            # A non-model endpoint states its own rule; by default any signed-in user.
            return True
        if getattr(view, "action", None) not in CRUD_ACTIONS:
            queryset = self._queryset(view)
            opts = queryset.model._meta
            return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        return super().has_permission(request, view)
