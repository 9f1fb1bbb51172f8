"""How long typed text may be: one rule for the models, the forms, the API and the import.

Names and titles are CharFields, which Django already bounds everywhere (a title is 200
characters). Prose is a `BoundedTextField`: a TextField whose maximum the model keeps too —
Django checks a TextField's `max_length` only in forms — so a description, a summary, a note
or the reason of a move is refused above `LONG_TEXT` by the page's form (which shows the
limit), by the API's serializer (which takes it from the model), by `full_clean()`, and
finally by the save itself, for the services that write without a form.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

TITLE = 200
LONG_TEXT = 10_000  # a summary, a description, notes, the reason of a move
MARKDOWN = 20_000  # a knowledge article or lesson


class BoundedTextField(models.TextField):
    """A TextField with a maximum the model keeps, not only its forms."""

    def __init__(self, *args, max_length: int = LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        # As CharField does: full_clean() and every form and serializer built from the field
        # check it (the validator is not part of the migration).
        self.validators.append(MaxLengthValidator(max_length))

    def pre_save(self, model_instance, add):
        # The last door: a service that saves without full_clean() is refused here, inside its
        # transaction, so nothing of the write is kept. The error names the field.
        value = super().pre_save(model_instance, add)
        if isinstance(value, str) and self.max_length:
            try:
                MaxLengthValidator(self.max_length)(value)
            except ValidationError as exc:
                raise ValidationError({self.name: exc.messages}) from None
        return value


def limit_of(model: type[models.Model], field: str) -> int:
    """The most characters `model.field` takes: for forms and serializers that are not built
    from the model (an action's comment), so that they say the same as the model."""
    limit = model._meta.get_field(field).max_length
    assert limit, f"{model._meta.label}.{field} has no maximum"
    return limit


def refuse_too_long(value: str, *, model: type[models.Model], field: str, named: str) -> None:
    """For a service that writes with `update()` (no save, so the field cannot refuse): the
    same refusal, on the input it came as (`named`)."""
    try:
        MaxLengthValidator(limit_of(model, field))(value)
    except ValidationError as exc:
        raise ValidationError({named: exc.messages}) from None
