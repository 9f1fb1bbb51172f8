"""Predicates every app shares: the role rule on a whole model (its Django permissions).

Object rules (whose change is it? whose check?) live in each app's permissions.py and are
called by that app's services; these answer only "may this role do this to rows of this kind",
the same answer the admin and the API's door give.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model

from .roles import Role, has_role

# Who acts: a signed-in user in services; predicates also answer for the anonymous visitor.
Actor = User | AnonymousUser


def _perm(action: str, model: type[Model] | Model) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def may_view(user: Actor, model: type[Model] | Model) -> bool:
    """The role reads rows of this kind."""
    return bool(user.has_perm(_perm("view", model)))


def may_add(user: Actor, model: type[Model] | Model) -> bool:
    """The role creates rows of this kind."""
    return bool(user.has_perm(_perm("add", model)))


def may_change(user: Actor, model: type[Model] | Model) -> bool:
    """The role edits rows of this kind."""
    return bool(user.has_perm(_perm("change", model)))


def may_delete(user: Actor, model: type[Model] | Model) -> bool:
    """The role deletes rows of this kind."""
    return bool(user.has_perm(_perm("delete", model)))


def oversees(user: Actor) -> bool:
    """Executives (and the superuser) are asked about what needs their attention: projects in
    the red, breached freezes, critical conflicts. A role rule: their role only reads."""
    return has_role(user, [Role.EXECUTIVE])


def may_read_dashboard(user: Actor) -> bool:
    """Every role reads the executive dashboard (read-only); a user with no role reads
    nothing. Each drill-down's list applies its own rule."""
    return has_role(user, Role.values)
