"""What the portfolio's form pages share: who is shown a form, and how a refusal lands on it."""

from django.core.exceptions import ValidationError

from itsm_pmo.forms import show_refusal
from itsm_pmo.workflow import require


class FormShownToWhoMay:
    """A form page is shown only to a user whom its predicate lets make the write, as a
    button would be; a valid POST goes to the service, which decides (and refuses with the
    same 403 when the predicate says no)."""

    refusal = "Your role may not make this change."

    def may_use_form(self) -> bool:
        raise NotImplementedError

    def render_to_response(self, context, **kwargs):
        require(self.may_use_form(), self.refusal)
        return super().render_to_response(context, **kwargs)  # type: ignore[misc]

    def refused(self, form, exc: ValidationError):
        """The form again, with the service's reasons on the fields they name."""
        show_refusal(form, exc)
        return self.form_invalid(form)  # type: ignore[attr-defined]
