"""A name or code another row already holds, refused in one sentence on the field it is about:
"A project with code PRJ-0101 already exists.", "A service named “Identity” already exists."

Django says "Project with this Code already exists." for a unique field and "Constraint
“service_name_unique_ci” is violated." (above the form, not on the field) for a
case-insensitive unique name; DRF says "project with this code already exists." or, for the
latter, nothing until the database refuses (a 409). `ExplainsDuplicates` (models) and
`itsm_pmo.api.SaysWhichDuplicate` (their API serializers) make the form, the API, the admin
and the import say the same sentence on the same field.
"""

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models.functions import Lower


def duplicate_message(model: type[models.Model] | models.Model, field: str, value) -> str:
    """The sentence for `value` of `model.field` that another row holds."""
    noun = str(model._meta.verbose_name)
    article = "An" if noun[:1].lower() in "aeiou" else "A"
    if field == "name":
        return f"{article} {noun} named “{value}” already exists."
    label = model._meta.get_field(field).verbose_name
    return f"{article} {noun} with {label} {value} already exists."


def _lowered_field(constraint) -> str | None:
    """The field of a case-insensitive unique constraint (`UniqueConstraint(Lower("name"))`)."""
    if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is not None:
        return None
    if len(constraint.expressions) != 1 or not isinstance(constraint.expressions[0], Lower):
        return None
    (inner,) = constraint.expressions[0].get_source_expressions()
    return inner.name if isinstance(inner, models.F) else None


class ExplainsDuplicates(models.Model):
    """Model mixin: a duplicate of a unique field, or of a case-insensitive unique name, is
    refused on that field, saying the value."""

    class Meta:
        abstract = True

    def unique_error_message(self, model_class, unique_check):
        if len(unique_check) == 1:
            field = unique_check[0]
            return ValidationError(
                duplicate_message(self, field, getattr(self, field)), code="unique"
            )
        return super().unique_error_message(model_class, unique_check)

    def duplicate_name_errors(self, exclude=None) -> dict[str, list[ValidationError]]:
        """{field: [the sentence]} for each case-insensitive unique name another row holds."""
        exclude = set(exclude or ())
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for constraint in self._meta.constraints:
            field = _lowered_field(constraint)
            if field is None or field in exclude:
                continue
            try:
                constraint.validate(type(self), self, exclude=exclude, using=using)
            except ValidationError:
                value = getattr(self, field)
                errors[field] = [ValidationError(duplicate_message(self, field, value), "unique")]
        return errors

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        errors = self.duplicate_name_errors(exclude)
        lowered = {f for c in self._meta.constraints if (f := _lowered_field(c))}
        try:
            # The rest as Django checks them; the names just checked are not checked again.
            super().validate_constraints(exclude=exclude | lowered)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
