"""Incident priority from impact and urgency, by the usual ITIL matrix (pure)."""

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


def priority(impact: int, urgency: int) -> int:
    if (impact, urgency) not in MATRIX:
        raise ValueError("Impact and urgency are each 1, 2 or 3.")
    return MATRIX[(impact, urgency)]
