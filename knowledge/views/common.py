"""What the lesson and article pages share: one `Kind` says what differs between them, and the
base views below (one text, its form, its moves) do the rest for both.

The pages decide nothing about who may do what: the services refuse (a 403, as in the API);
the pages only ask knowledge.permissions which buttons and forms to show."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView

from itsm_pmo.page_actions import attempt, redirect_back
from itsm_pmo.permissions import Actor
from itsm_pmo.workflow import MoveTable

from ..choices import KnowledgeState
from ..workflow import DONE_TEXT

# The Bootstrap style of each move's button, by the state it enters; publishing first.
MOVE_STYLE = {
    KnowledgeState.PUBLISHED: "btn-success",
    KnowledgeState.DRAFT: "btn-outline-secondary",
    KnowledgeState.ARCHIVED: "btn-outline-danger",
}
HISTORY_WORDS = {
    KnowledgeState.PUBLISHED: "Published",
    KnowledgeState.DRAFT: "Moved back to draft",
    KnowledgeState.ARCHIVED: "Archived",
}


@dataclass(frozen=True)
class Kind:
    """What differs between the lesson pages and the article pages, in this order: the move
    table (which names the kind), who reads which, who edits one, and the move service."""

    moves: MoveTable
    visible: Callable[[Actor], QuerySet]
    may_edit: Callable[[Actor, Any], bool]
    transition: Callable[..., Model]

    @property
    def noun(self) -> str:
        return self.moves.noun

    def may_publish(self, user: Actor) -> bool:
        """Whether the move table lets `user` publish a draft of this kind: the pages ask it
        to show "Save and publish" and the publishers' filters."""
        return any(
            option.permitted and option.to == KnowledgeState.PUBLISHED
            for option in self.moves.options(KnowledgeState.DRAFT, None, user)
        )

    def move(self, obj: Model, *, to: str, by: Actor, comment: str) -> Model:
        """The kind's transition service on `obj` (`lesson=` or `article=`)."""
        return self.transition(**{self.noun: obj}, to=to, by=by, comment=comment)


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: each message on its field, the rest on top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, texts in errors.items():
        form.add_error(field if field in form.fields else None, texts)


def move_buttons(table: MoveTable, state: str, user: Actor) -> list[dict[str, Any]]:
    """The moves out of `state` that `user` may make, as buttons: publishing first, archiving
    last."""
    options = sorted(table.options(state, None, user), key=lambda o: list(MOVE_STYLE).index(o.to))
    return [
        {
            "to": option.to,
            "label": option.label,
            "style": MOVE_STYLE[option.to],
            "open": option.open,
            "blockers": option.blockers,
        }
        for option in options
        if option.permitted
    ]


def history_of(obj, limit: int = 12) -> list[dict[str, Any]]:
    """Who wrote and edited `obj` (its simple-history records) and who moved it, with why (its
    transition records), newest first, in two queries."""
    entries: list[dict[str, Any]] = []
    previous = None
    for record in obj.history.select_related("history_user").order_by("history_date", "history_id"):
        # A record whose state changed is a move (or an edit that unpublished): the
        # transition records tell those, with who and why.
        if previous is None or record.state == previous.state:
            what = "Written" if previous is None else "Edited"
            entries.append({"what": what, "who": record.history_user, "when": record.history_date})
        previous = record
    for move in obj.transitions.select_related("by"):
        entries.append(
            {
                "what": HISTORY_WORDS[move.to_state],
                "who": move.by,
                "when": move.at,
                "comment": move.comment,
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


def without_blanks(params) -> QueryDict:
    """A query string without its page and empty values: an empty select means "any"."""
    kept = QueryDict(mutable=True)
    for key in params:
        values = [v for v in params.getlist(key) if v.strip()]
        if values and key != "page":
            kept.setlist(key, values)
    return kept


class KnowledgeDetailView(PermissionRequiredMixin, DetailView):
    """One lesson or article the user may read (any other is a 404, as if it did not exist),
    with the moves they may make and its history."""

    kind: Kind

    def get_permission_required(self):
        return (f"knowledge.view_{self.kind.noun}",)

    def get_template_names(self):
        return [f"knowledge/{self.kind.noun}_detail.html"]

    def get_context_object_name(self, obj):
        return self.kind.noun

    def get_queryset(self):
        return self.kind.visible(self.request.user)

    def get_context_data(self, **kwargs):
        obj, user, noun = self.object, self.request.user, self.kind.noun
        return super().get_context_data(
            noun=noun,
            may_publish=self.kind.may_publish(user),
            can_edit=self.kind.may_edit(user, obj),
            edit_url=reverse(f"knowledge:{noun}_edit", args=[obj.pk]),
            transition_url=reverse(f"knowledge:{noun}_transition", args=[obj.pk]),
            moves=move_buttons(self.kind.moves, obj.state, user),
            history=history_of(obj),
            **kwargs,
        )


class KnowledgeFormMixin:
    """The form of a lesson or article: the service writes it, its refusals land on the
    fields, and a publisher's "Save and publish" publishes it at once."""

    kind: Kind
    list_url: str  # the kind's search page, by URL name: where "Cancel" goes for a new one
    source_label: str  # what the card of the work it is written from is, for screen readers
    request: HttpRequest

    def get_template_names(self):
        return [f"knowledge/{self.kind.noun}_form.html"]

    def write(self, form) -> Model:
        """Call the service with the form's fields."""
        raise NotImplementedError

    def cancel_url(self) -> str:
        return reverse(self.list_url)

    def form_valid(self, form):
        try:
            obj = self.write(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.saved(obj)

    def publish_if_asked(self, obj) -> bool:
        """The publishers' "Save and publish" (the button only they see): publish a text that
        is not published yet."""
        user = self.request.user
        if "publish" not in self.request.POST or not self.kind.may_publish(user):
            return False
        if obj.state == KnowledgeState.PUBLISHED:
            return False
        moved = attempt(
            self.request,
            lambda: self.kind.move(obj, to=KnowledgeState.PUBLISHED, by=user, comment=""),
        )
        return bool(moved)

    def saved(self, obj) -> HttpResponse:
        noun = self.kind.noun.capitalize()
        if self.publish_if_asked(obj):
            text = f"{noun} saved and published: everyone can find it now."
        elif obj.state == KnowledgeState.DRAFT:
            text = f"{noun} saved as a draft. A PMO lead or ITSM manager publishes it."
        else:
            text = f"{noun} saved."
        messages.success(self.request, text)
        return redirect(obj)

    def get_context_data(self, **kwargs):
        return super().get_context_data(  # type: ignore[misc]
            noun=self.kind.noun,
            may_publish=self.kind.may_publish(self.request.user),
            cancel_url=self.cancel_url(),
            source_label=self.source_label,
            **kwargs,
        )


class KnowledgeEditMixin(KnowledgeFormMixin):
    """Edit a text the user may read; the form is shown only to those who may edit it (the
    service refuses anyone else too). Its state moves only by publishing."""

    editable: tuple[str, ...] = ()
    object: Model

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # type: ignore[attr-defined]
        self.object = get_object_or_404(self.kind.visible(request.user), pk=kwargs["pk"])
        if not self.kind.may_edit(request.user, self.object):
            raise PermissionDenied(f"You may not edit this {self.kind.noun}.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_initial(self):
        return {name: getattr(self.object, name) for name in self.editable}

    def cancel_url(self) -> str:
        return self.object.get_absolute_url()  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class KnowledgeTransitionView(LoginRequiredMixin, View):
    """POST: publish, unpublish or archive a text the user may read. The service decides: a
    refused move (409) or state (400) is said on the text's page, a refused role is a 403."""

    http_method_names = ["post"]
    kind: Kind

    def post(self, request, pk: int):
        obj = get_object_or_404(self.kind.visible(request.user), pk=pk)
        to = request.POST.get("to", "")
        comment = request.POST.get("comment", "")
        if attempt(request, lambda: self.kind.move(obj, to=to, by=request.user, comment=comment)):
            messages.success(request, f"“{obj.title}” {DONE_TEXT[to]}.")
        return redirect_back(request, obj.get_absolute_url())
