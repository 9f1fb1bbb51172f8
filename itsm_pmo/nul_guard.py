"""Text never holds the NUL character: PostgreSQL refuses it in every text column, so a value
carrying one would reach the database only to fail there. A page's form field or any query
parameter that carries one is answered 400 naming the field, before a view reads it. (The
API's JSON bodies need nothing here: its serializers' text fields refuse NUL themselves.)"""

from django.http import JsonResponse
from django.shortcuts import render

from .api import error_body
from .htmx_errors import is_htmx, toast_response

NUL = "\x00"


def field_with_nul(request) -> str | None:
    """The first query parameter or form field whose name or value holds a NUL."""
    params = [request.GET]
    if request.method == "POST" and not request.path_info.startswith("/api/"):
        params.append(request.POST)
    for data in params:
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "\\0")
    return None


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, so that a signed-out visitor is sent to the sign-in first.
        field = field_with_nul(request)
        if field is None:
            return None
        reason = "Text cannot contain the NUL character (\\0)."
        if request.path_info.startswith("/api/"):
            body = error_body(
                400, "invalid", "Some fields are not valid.", fields={field: [reason]}
            )
            return JsonResponse(body, status=400)
        if is_htmx(request):
            text = f"The field “{field}” was refused: {reason} Nothing was saved."
            return toast_response(title="Not understood", text=text, status=400)
        context = {"field": field, "reason": reason}
        return render(request, "errors/400.html", context, status=400)
