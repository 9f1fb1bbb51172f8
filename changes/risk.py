"""The risk of a change from understandable factors (pure): each factor says what it adds."""

from dataclasses import dataclass

from .choices import ChangeType, Risk


@dataclass(frozen=True)
class RiskFactor:
    label: str
    points: int


@dataclass(frozen=True)
class RiskAssessment:
    factors: tuple[RiskFactor, ...]

    @property
    def score(self) -> int:
        return sum(f.points for f in self.factors)

    @property
    def level(self) -> str:
        return Risk.LOW if self.score <= 2 else Risk.MODERATE if self.score <= 5 else Risk.HIGH


def assess(
    *,
    change_type: str,
    most_critical_tier: int | None,
    collisions: int,
    in_freeze: bool,
    has_backout_plan: bool,
    implementer_peak_load: float | None,
) -> RiskAssessment:
    """Points for what the change touches, its type, its window and who does it."""
    factors = []
    if most_critical_tier is not None:
        points = {1: 3, 2: 2, 3: 1}.get(most_critical_tier, 0)
        factors.append(RiskFactor(f"Touches a tier {most_critical_tier} service", points))
    factors.append(
        RiskFactor(
            {
                ChangeType.STANDARD: "Standard change (pre-approved)",
                ChangeType.NORMAL: "Normal change",
                ChangeType.EMERGENCY: "Emergency change",
            }[change_type],
            {ChangeType.STANDARD: 0, ChangeType.NORMAL: 1, ChangeType.EMERGENCY: 2}[change_type],
        )
    )
    if collisions:
        factors.append(
            RiskFactor(f"Collides with {collisions} other change{'s' if collisions > 1 else ''}", 2)
        )
    if in_freeze:
        factors.append(RiskFactor("Window inside a change freeze", 2))
    if not has_backout_plan:
        factors.append(RiskFactor("No backout plan", 2))
    if implementer_peak_load is not None and implementer_peak_load > 1.0:
        factors.append(
            RiskFactor(
                f"Implementer booked {implementer_peak_load:.0%} that week",
                2 if implementer_peak_load > 1.25 else 1,
            )
        )
    return RiskAssessment(tuple(factors))
