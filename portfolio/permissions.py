"""Who may do what in the portfolio: one predicate per rule, called by the services.

Pages and the API never decide on their own; they may ask a predicate whether to show a
button or a form. Every rule here is today a rule of the role (the PMO lead runs the
portfolio; everyone else reads it), held as the role's Django permission so the admin, the
pages, the API and the CSV import give one answer. The object is passed so that a rule about
the project (its stage, its owner) has one place to go when it comes.
"""

from itsm_pmo.permissions import Actor
from itsm_pmo.roles import Role, has_role

from .models import Benefit, Project


def may_read_projects(user: Actor) -> bool:
    """Anyone signed in with a role reads every project and what hangs off it: one rule of
    visibility (docs/decisions.md, "Visibility"); a superuser counts as holding every role."""
    return bool(user.is_authenticated and has_role(user, Role.values))


def may_create_project(user: Actor) -> bool:
    """PMO leads raise proposals, by the form, the API or a CSV import."""
    return bool(user.has_perm("portfolio.add_project"))


def may_import_projects(user: Actor) -> bool:
    """An import creates projects, so it needs what creating one needs."""
    return may_create_project(user)


def may_edit_project(user: Actor, project: Project) -> bool:
    """PMO leads edit a project: its fields, the objectives and services it serves."""
    return bool(user.has_perm("portfolio.change_project"))


def may_delete_project(user: Actor, project: Project) -> bool:
    """PMO leads delete a project (and with it its scores, plan and stage log)."""
    return bool(user.has_perm("portfolio.delete_project"))


def may_move_project(user: Actor, project: Project | None = None) -> bool:
    """PMO leads move projects between stages (each move's own permission is in MOVES)."""
    return bool(user.has_perm("portfolio.transition_project"))


def may_score(user: Actor, project: Project) -> bool:
    """PMO leads score a project against the criteria, and clear a score."""
    return bool(user.has_perm("portfolio.change_score"))


def may_edit_milestones(user: Actor, project: Project) -> bool:
    """PMO leads add, change and remove a project's milestones."""
    return bool(user.has_perm("portfolio.change_milestone"))


def may_edit_risks(user: Actor, project: Project) -> bool:
    """PMO leads add, change and remove a project's risks."""
    return bool(user.has_perm("portfolio.change_risk"))


def may_edit_costs(user: Actor, project: Project) -> bool:
    """PMO leads record, correct and remove what a project spent by month."""
    return bool(user.has_perm("portfolio.change_projectcost"))


def may_review_benefits(user: Actor) -> bool:
    """PMO leads record what a benefit realised, so the benefits due for review wait for them."""
    return bool(user.has_perm("portfolio.change_benefit"))


def may_edit_benefits(user: Actor, project: Project) -> bool:
    """PMO leads add, change and remove the benefits a project promises."""
    return bool(user.has_perm("portfolio.change_benefit"))


def may_record_realisation(user: Actor, benefit: Benefit) -> bool:
    """Whoever runs the benefits reviews records what a benefit delivered."""
    return may_review_benefits(user)


def may_reweight_criteria(user: Actor) -> bool:
    """PMO leads set the scoring model: the criteria and their weights, for everyone."""
    return bool(user.has_perm("portfolio.change_criterion"))
