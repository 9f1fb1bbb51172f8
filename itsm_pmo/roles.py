"""The four roles (Django groups) and the permissions each holds.

A role is a group; what it may do is the table below, applied to the groups by a data
migration and again after every `migrate`, so a model added by a later migration gets its
role permissions without anyone editing the groups by hand. Views and API check Django
permissions (`user.has_perm`), so the admin, the pages and the API share one rule.
"""

from collections.abc import Iterable

from django.db.models import TextChoices


class Role(TextChoices):
    PMO_LEAD = "pmo_lead", "PMO lead"
    ITSM_MANAGER = "itsm_manager", "ITSM manager"
    ENGINEER = "engineer", "Engineer"
    EXECUTIVE = "executive", "Executive"


def role_label(name: str) -> str:
    """ "ITSM manager" for "itsm_manager"; any other group by its own name."""
    return Role(name).label if name in Role.values else name


VIEW = ("view",)
MANAGE = ("view", "add", "change", "delete")

# Everyone writes and edits lessons and articles and marks lessons applied; publishing,
# unpublishing and archiving are the PMO leads' and ITSM managers' (see PUBLISH_KNOWLEDGE).
WRITE_KNOWLEDGE = {
    "knowledge.lesson": ("add", "change"),
    "knowledge.article": ("add", "change"),
    "knowledge.lessonapplication": ("add",),
}
PUBLISH_KNOWLEDGE = {
    "knowledge.lesson": ("add", "change", "publish_lesson"),
    "knowledge.article": ("add", "change", "publish_article"),
    "knowledge.lessonapplication": ("add",),
}

# role -> {"app_label.model" or "app_label.*" or "*": actions or custom codenames}.
# Every role reads everything; row scoping (e.g. an engineer's own work) lives in selectors.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.PMO_LEAD: {
        "*": VIEW,
        "portfolio.*": MANAGE,
        "portfolio.project": ("transition_project",),
        "resources.*": MANAGE,
        "resources.conflict": ("acknowledge_conflict",),
        # PMO leads plan the handover with operations (not accept it).
        "handover.handover": ("add", "change", "transition_handover"),
        "handover.readinesscheck": ("add", "change"),
        **PUBLISH_KNOWLEDGE,
    },
    Role.ITSM_MANAGER: {
        "*": VIEW,
        "resources.conflict": ("acknowledge_conflict",),
        "changes.*": MANAGE,
        "changes.changerequest": (
            "transition_changerequest",
            "approve_changerequest",
            "grant_freeze_exception",
        ),
        "handover.*": MANAGE,
        "handover.handover": ("transition_handover", "accept_handover"),
        "handover.incident": ("transition_incident",),
        **PUBLISH_KNOWLEDGE,
    },
    Role.ENGINEER: {
        "*": VIEW,
        # Engineers raise changes and carry them through; the CAB is the ITSM managers'.
        "changes.changerequest": ("add", "change", "transition_changerequest"),
        "changes.postimplementationreview": ("add", "change"),
        # Engineers log and work incidents and tick the readiness checks they own.
        "handover.incident": ("add", "change", "transition_incident"),
        "handover.worklog": ("add", "change"),
        "handover.readinesscheck": ("change",),
        **WRITE_KNOWLEDGE,
    },
    Role.EXECUTIVE: {
        "*": VIEW,
        **WRITE_KNOWLEDGE,
    },
}

# Apps whose models the roles cover; Django's own (auth, sessions…) stay with superusers.
PORTAL_APPS = ("portfolio", "resources", "changes", "handover", "knowledge", "itsm_pmo")


def _codenames_for(model_label: str, grants: dict[str, tuple[str, ...]]) -> set[str]:
    app_label, model = model_label.split(".")
    actions: set[str] = set()
    for pattern in ("*", f"{app_label}.*", model_label):
        actions.update(grants.get(pattern, ()))
    return {a if "_" in a else f"{a}_{model}" for a in actions}


def sync_role_permissions(apps=None) -> None:
    """Create the role groups and give each exactly the permissions of ROLE_PERMISSIONS."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    content_types = ContentType.objects.filter(app_label__in=PORTAL_APPS)
    permissions = Permission.objects.filter(content_type__in=content_types).select_related(
        "content_type"
    )
    by_model: dict[str, dict[str, object]] = {}
    for perm in permissions:
        label = f"{perm.content_type.app_label}.{perm.content_type.model}"
        by_model.setdefault(label, {})[perm.codename] = perm

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [
            perm
            for label, perms in by_model.items()
            for codename, perm in perms.items()
            if codename in _codenames_for(label, ROLE_PERMISSIONS[role])
        ]
        group.permissions.set(wanted)


def roles_of(user) -> frozenset[str]:
    """The role names of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
        cached = frozenset(names)
        user._role_names = cached
    return cached


def has_role(user, roles: Iterable[str]) -> bool:
    """True for a superuser or a user holding any of `roles`."""
    return bool(getattr(user, "is_superuser", False) or roles_of(user) & set(roles))
