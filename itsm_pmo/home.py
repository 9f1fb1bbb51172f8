"""The role-aware home page ("my work"): each app contributes panels of what waits for a user.

An app registers a provider in its AppConfig.ready(); the home page knows none of them by
name. A provider returns a WorkPanel for the user, or None when it has nothing to say to them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    meta: str = ""
    badge: str = ""
    tone: str = "secondary"  # a Bootstrap colour name for the badge


@dataclass(frozen=True)
class WorkPanel:
    title: str
    icon: str
    items: list[WorkItem] = field(default_factory=list)
    empty: str = "Nothing waits for you here."
    more_url: str = ""
    order: int = 100


WorkProvider = Callable[[object], WorkPanel | None]
_providers: list[WorkProvider] = []


def register_work_provider(provider: WorkProvider) -> WorkProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def my_work(user) -> list[WorkPanel]:
    panels = [panel for provider in _providers if (panel := provider(user)) is not None]
    return sorted(panels, key=lambda panel: (panel.order, panel.title))
