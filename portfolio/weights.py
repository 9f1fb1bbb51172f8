"""What-if weights from a query string: `w<criterion id>=<weight>`, shared by page and API."""

import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

MAX_WEIGHT = Decimal("100")
WEIGHT_KEY = re.compile(r"w(\d+)", re.ASCII)


def weights_from_query(params, known: Collection[int]) -> dict[int, Decimal]:
    """Weights by criterion id; 400-worthy errors for bad numbers or unknown criteria."""
    weights, errors = {}, {}
    for key, raw in params.items():
        match = WEIGHT_KEY.fullmatch(key)
        if not match or raw in ("", None):
            continue
        if int(match[1]) not in known:
            errors[key] = "There is no such criterion."
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[key] = f"'{raw}' is not a number."
            continue
        if not value.is_finite() or value < 0 or value > MAX_WEIGHT:
            errors[key] = f"A weight is between 0 and {MAX_WEIGHT}."
            continue
        weights[int(match[1])] = value
    if errors:
        raise ValidationError(errors)
    return weights
