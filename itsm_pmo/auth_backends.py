"""The login lockout's authentication backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request.

    Every sign-in over HTTP passes its request (the login form, the admin's, the token
    endpoint); `authenticate()` without one is a shell, a management command or a test
    checking a password, where no client can guess and axes would raise instead."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
