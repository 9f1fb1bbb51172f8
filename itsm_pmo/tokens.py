"""API tokens that expire, and that logout and deactivation revoke.

A token is DRF's (one per user, `rest_framework.authtoken`), valid `API_TOKEN_DAYS` days
from when it was issued. `POST /api/auth/token/` answers the user's token while it is valid
and a new one once it has expired. Signing out of the portal deletes the user's token, and
so does saving the user inactive: whoever held it (a script, a stolen laptop) must sign in
again. The endpoint is `itsm_pmo/token_views.py` (this module is loaded with DRF's settings,
so it may not import DRF's views).

Why a signal for deactivation: `is_active` is switched off in the admin, a shell, a script
or a future identity sync; the save of the user is the one place they all pass. A queryset
`update()` passes no signal, but DRF refuses the token of an inactive user anyway; deleting
it only makes the refusal outlive a reactivation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def expires_at(token: Token) -> datetime:
    """When the token stops being accepted."""
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def has_expired(token: Token) -> bool:
    return expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than `API_TOKEN_DAYS`: 401."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if has_expired(token):
            raise exceptions.AuthenticationFailed(
                "The token has expired: ask for a new one at /api/auth/token/.",
                code="token_expired",
            )
        return user, token


def issue_token(user) -> Token:
    """The user's token, or a new one when theirs has expired."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and has_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def revoke_tokens(user) -> None:
    """Delete the user's API token (signing out, deactivation)."""
    Token.objects.filter(user=user).delete()


def revoke_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        revoke_tokens(user)


def revoke_on_deactivation(sender, instance, created, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "is_active" not in update_fields:
        return  # e.g. `last_login` on each sign-in
    if not created and not instance.is_active:
        revoke_tokens(instance)
