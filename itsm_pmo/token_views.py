"""`POST /api/auth/token/`: an API token for a username and password (see itsm_pmo/tokens.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .api import UtcDateTimeField
from .schema import ErrorSerializer
from .throttles import TokenThrottle
from .tokens import expires_at, issue_token


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expires = UtcDateTimeField(help_text="When the token stops being accepted.")


class TokenObtainView(ObtainAuthToken):
    """`POST /api/auth/token/`: username and password for a token.

    The credentials go through Django's `authenticate` with the request, so failures count
    towards the login lockout (django-axes) like the login form's, and a locked-out client
    gets the lockout's 429. Throttled per client address (`token` rate)."""

    throttle_classes = (TokenThrottle,)

    def get_serializer_context(self):
        # The Django request, not DRF's wrapper: django-axes marks a locked-out attempt on
        # the request it is given, and its middleware reads the mark on Django's.
        return {**super().get_serializer_context(), "request": self.request._request}

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Unknown user or wrong password (one answer)."
            ),
            429: OpenApiResponse(
                ErrorSerializer, description="Locked out or throttled; see `Retry-After`."
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = issue_token(serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key, "expires": expires_at(token)}).data)
