"""What-if weights from a query string: `w<criterion id>=<weight>`, shared by page and API."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

MAX_WEIGHT = Decimal("100")


def weights_from_query(params) -> dict[int, Decimal]:
    weights, errors = {}, {}
    for key, raw in params.items():
        if not (key.startswith("w") and key[1:].isdigit()) or raw in ("", None):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[key] = f"'{raw}' is not a number."
            continue
        if not value.is_finite() or value < 0 or value > MAX_WEIGHT:
            errors[key] = f"A weight is between 0 and {MAX_WEIGHT}."
            continue
        weights[int(key[1:])] = value
    if errors:
        raise ValidationError(errors)
    return weights
