"""Incident priority from impact and urgency, by the usual ITIL matrix, and the time each
priority is to be resolved in (pure)."""

from datetime import timedelta

# impact (rows) × urgency (columns), 1 = high: priority 1 (critical) … 5 (planning)
MATRIX = {
    (1, 1): 1,
    (1, 2): 2,
    (1, 3): 3,
    (2, 1): 2,
    (2, 2): 3,
    (2, 3): 4,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 5,
}

LABELS = {1: "P1 Critical", 2: "P2 High", 3: "P3 Moderate", 4: "P4 Low", 5: "P5 Planning"}

# Resolution targets from the moment an incident is opened, in elapsed time (the clock does
# not stop on hold or out of hours: the inbox orders by it, it is no contract).
RESOLVE_WITHIN = {
    1: timedelta(hours=4),
    2: timedelta(hours=24),
    3: timedelta(days=3),
    4: timedelta(days=5),
    5: timedelta(days=10),
}


def priority(impact: int, urgency: int) -> int:
    if (impact, urgency) not in MATRIX:
        raise ValueError("Impact and urgency are each 1, 2 or 3.")
    return MATRIX[(impact, urgency)]
