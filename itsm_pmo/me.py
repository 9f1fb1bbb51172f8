"""`GET /api/me/`: who is signed in (name and roles). Also the benchmark's authenticated floor:
the least an authenticated request costs (the session, the user, its roles), and nothing else."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from .page_cache import page_cache_exempt
from .roles import role_label, roles_of


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(help_text="The full name, or the username when there is none.")
    roles = serializers.ListField(child=serializers.CharField(), help_text="Role names.")
    role_labels = serializers.ListField(child=serializers.CharField())


@page_cache_exempt  # the floor: what a request costs when nothing is kept
@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def me(request):
    """The signed-in user: username, name and roles."""
    user = request.user
    roles = sorted(roles_of(user))
    return Response(
        MeSerializer(
            {
                "username": user.get_username(),
                "name": user.get_full_name() or user.get_username(),
                "roles": roles,
                "role_labels": [role_label(name) for name in roles],
            }
        ).data
    )
