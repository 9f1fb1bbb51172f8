"""Rows that others refer to are not deleted: the foreign keys that point at a project, a
change or a service from another record say PROTECT, and a refused delete is said in one
sentence naming what still refers to the row (409 in the API, a message on the page)."""

import re
from collections import Counter

from django.db.models import ProtectedError


def refusal_of_protected(exc: ProtectedError) -> tuple[str, dict[str, int]]:
    """(the sentence, {kind of record: how many}) for a delete the database rules refused."""
    models = Counter(type(obj) for obj in exc.protected_objects)
    counts = Counter(
        {
            str(m._meta.verbose_name if n == 1 else m._meta.verbose_name_plural): n
            for m, n in models.items()
        }
    )
    # Django names the model in its message: "…instances of model 'ChangeRequest' because…".
    named = re.search(r"model '(\w+)'", str(exc.args[0]) if exc.args else "")
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", named.group(1)).lower() if named else "record"
    what = f"This {words}"
    listed = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    detail = (
        f"{what} cannot be deleted: {listed} still refer to it. "
        "Close, cancel or retire it instead; nothing was deleted."
    )
    return detail, dict(sorted(counts.items()))
