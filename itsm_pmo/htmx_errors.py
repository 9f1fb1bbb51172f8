"""What a refused htmx request is answered, so that its error always shows.

htmx swaps a 4xx answer like a success (static/js/app.js), so the answer must fit where it
lands. A view that refuses input answers its own fragment for its target (the CAB card with
its comment error, `form_refusal` below). A refusal that has no place in the element that
asked, because it is not about what was typed (no longer signed in, a role that does not
allow it, an object gone, a page whose security token is out of date), is answered here
instead: as a toast sent to the page's toast area (`HX-Retarget`), or, for a session that
ended, by sending the whole page to the sign-in (`HX-Redirect`), which comes back after.
A whole page is never swapped into a part of another.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import capfirst

TOASTS = "#toasts"  # the toast area of templates/base.html


def is_htmx(request: HttpRequest) -> bool:
    """Read from the header, not `request.htmx`: error handlers also answer requests that
    failed before django-htmx's middleware ran."""
    return request.headers.get("HX-Request") == "true"


def toast_response(*, title: str, text: str, status: int) -> HttpResponse:
    """A refusal shown as a toast, whatever element asked. Rendered without the request's
    context processors (they read the database; a toast needs nothing of theirs)."""
    html = render_to_string("_partials/toast.html", {"title": title, "text": text})
    response = HttpResponse(html, status=status)
    response["HX-Retarget"] = TOASTS
    response["HX-Reswap"] = "beforeend"
    # An element with hx-push-url would otherwise put the refused address in the history.
    response["HX-Push-Url"] = "false"
    return response


def sign_in_again(request: HttpRequest) -> HttpResponse:
    """An htmx request without a signed-in user (the session ended): the page goes to the
    sign-in, which returns to it. A 401, since the request itself was not answered."""
    page = ""
    if request.headers.get("HX-Current-URL"):
        current = urlsplit(request.headers["HX-Current-URL"])
        page = current.path + (f"?{current.query}" if current.query else "")
    response = HttpResponse(status=401)
    response["HX-Redirect"] = redirect_to_login(page or "/", settings.LOGIN_URL).url
    return response


def form_refusal(form, *, message: str, status: int = 400) -> HttpResponse:
    """A form's errors as the fragment where the answer lands: each field by its label."""
    fields = [
        (capfirst(form[name].label) if name in form.fields else "", errors)
        for name, errors in form.errors.items()
    ]
    html = render_to_string("_partials/refusal.html", {"message": message, "fields": fields})
    return HttpResponse(html, status=status)
