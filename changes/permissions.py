"""Who may do what to a change: one predicate per rule.

The services ask these before they write (`require(may_x(by, change), "…")`), so the page,
the API, the admin and the demo reach one answer; a page asks them only to decide whether to
show a button or a form. Which moves a role may make is in the move table (workflow.py).
"""

from itsm_pmo.permissions import Actor, may_add, may_change, may_view

from .models import ApprovalPolicy, ChangeRequest, PostImplementationReview


def _group_names(user: Actor) -> frozenset[str]:
    """The user's groups, read once per request (a CAB queue asks for every card)."""
    cached = getattr(user, "_change_group_names", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True) if user.is_authenticated else []
        cached = frozenset(names)
        user._change_group_names = cached  # type: ignore[union-attr]
    return cached


def is_own(user: Actor, change: ChangeRequest) -> bool:
    """The user raised the change or implements it."""
    implementer = change.implementer
    implementer_user = implementer.user_id if implementer is not None else None
    return user.pk is not None and user.pk in (change.requester_id, implementer_user)


def may_raise(user: Actor) -> bool:
    """Roles that add changes raise them (engineers and ITSM managers)."""
    return may_add(user, ChangeRequest)


def may_work_on(user: Actor, change: ChangeRequest) -> bool:
    """ITSM managers work on any change; engineers on those they raised or implement."""
    return bool(user.has_perm("changes.approve_changerequest")) or is_own(user, change)


def may_edit(user: Actor, change: ChangeRequest) -> bool:
    """Whoever works on the change edits it, if their role edits changes."""
    return may_change(user, ChangeRequest) and may_work_on(user, change)


def may_move(user: Actor, change: ChangeRequest) -> bool:
    """Whoever works on the change moves it (the move table names the role for each move)."""
    return may_work_on(user, change)


def implements_changes(user: Actor) -> bool:
    """Whoever carries changes through (engineers, ITSM managers) finds the ones they implement
    in the coming week in their inbox."""
    return bool(user.has_perm("changes.transition_changerequest"))


def may_decide(user: Actor, change: ChangeRequest, *, approving_role: str) -> bool:
    """The CAB decision: a member of the role the approval policy names (or a superuser),
    never someone who raised or implements the change."""
    if is_own(user, change):
        return False
    return bool(user.is_superuser) or approving_role in _group_names(user)


def may_sit_on_cab(user: Actor) -> bool:
    """Who opens the CAB queue: whoever may decide some change, i.e. a member of a group an
    approval policy names (the policies say who decides, so they say who sees what waits),
    the ITSM managers (emergencies always need one) and the superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("changes.approve_changerequest"):
        return True
    return ApprovalPolicy.objects.filter(approver_group__name__in=_group_names(user)).exists()


def may_override_risk(user: Actor, change: ChangeRequest) -> bool:
    """An ITSM manager (the CAB's permission) overrides the assessed risk of any change."""
    return bool(user.has_perm("changes.approve_changerequest"))


def may_grant_freeze_exception(user: Actor, change: ChangeRequest) -> bool:
    """An ITSM manager lets a change run inside a freeze."""
    return bool(user.has_perm("changes.grant_freeze_exception"))


def may_review(user: Actor, change: ChangeRequest) -> bool:
    """Whoever works on the change records its post-implementation review, if their role
    records reviews."""
    return may_add(user, PostImplementationReview) and may_work_on(user, change)


def may_correct_review(user: Actor, review: PostImplementationReview) -> bool:
    """Whoever works on the change corrects its review, if their role edits reviews."""
    return may_change(user, PostImplementationReview) and may_work_on(user, review.change)


def may_follow_calendar(user: Actor) -> bool:
    """Whoever sees changes follows the change calendar's feed (and resets its address)."""
    return may_view(user, ChangeRequest)
