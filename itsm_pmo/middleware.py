"""Every page needs a login; the API answers 401/403 itself instead of redirecting."""

from django.contrib.auth.middleware import LoginRequiredMiddleware

from .htmx_errors import is_htmx, sign_in_again


class PageLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for /api/, where DRF's authentication and
    permission classes answer 401/403 in the API's error shape."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        # An htmx request would follow the redirect and swap the sign-in page into a part of
        # this one: the whole page goes to the sign-in instead.
        if is_htmx(request):
            return sign_in_again(request)
        return super().handle_no_permission(request, view_func)
