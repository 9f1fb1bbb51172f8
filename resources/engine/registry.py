"""What other apps plug into the engine: providers of records and conflict rules.

A provider is `provider(horizon) -> iterable of records` (it may read the database: it is an
adapter at the engine's edge). A rule is `rule(plan) -> iterable of ConflictRecord`, pure.
Apps register theirs in AppConfig.ready(); the engine knows none of them by name.
"""

from collections.abc import Callable, Iterable

providers: dict[str, Callable] = {}
rules: dict[str, Callable] = {}


def register_provider(name: str, provider: Callable[..., Iterable[object]]) -> None:
    providers[name] = provider


def register_rule(kind: str, rule: Callable[..., Iterable[object]]) -> None:
    rules[kind] = rule
