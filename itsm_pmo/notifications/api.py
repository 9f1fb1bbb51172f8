"""`/api/me/notifications/`: the signed-in user's own notifications and preferences."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from ..api import UtcDateTimeField
from ..models import Notification
from . import selectors, services
from .events import Delivery, Event
from .filtersets import NotificationFilterSet


class NotificationSerializer(serializers.ModelSerializer):
    created_at = UtcDateTimeField(read_only=True)
    read_at = UtcDateTimeField(read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, obj: Notification) -> bool:
        return obj.read_at is None


class IsActiveUser(permissions.IsAuthenticated):
    """Every signed-in user, whatever their role: their own notifications only."""


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The user's notifications, newest first (`unread=true` for the unread ones); another
    user's is not found (404)."""

    serializer_class = NotificationSerializer
    permission_classes = [IsActiveUser]
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read."""
        row = services.notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(NotificationSerializer(row).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notification of the user read; how many were."""
        return Response({"marked": services.notifications_mark_all_read(by=request.user)})


class PreferenceSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=Event.choices)
    label = serializers.CharField(read_only=True)
    in_app = serializers.BooleanField(help_text="Shown in the portal (the header's bell).")
    email = serializers.BooleanField(help_text="Sent by e-mail.")
    default_in_app = serializers.BooleanField(read_only=True, source="default.in_app")
    default_email = serializers.BooleanField(read_only=True, source="default.email")


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)

    def validate_preferences(self, value):
        events = [row["event"] for row in value]
        if len(events) != len(set(events)):
            raise serializers.ValidationError("Name each event once.")
        return value


class NotificationPreferencesView(APIView):
    """How the user is told of each event (GET), and choosing it (PUT: the events named;
    the others keep theirs)."""

    permission_classes = [IsActiveUser]

    def _answer(self, request):
        rows = selectors.preferences_of(request.user)
        return Response(PreferencesSerializer({"preferences": rows}).data)

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return self._answer(request)

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request):
        given = PreferencesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        choices = {
            row["event"]: Delivery(in_app=row["in_app"], email=row["email"])
            for row in given.validated_data["preferences"]
        }
        services.notification_preferences_set(by=request.user, choices=choices)
        return self._answer(request)


router = SimpleRouter()
router.register("", NotificationViewSet, basename="notification")

app_name = "notifications_api"
urlpatterns = [
    path("preferences/", NotificationPreferencesView.as_view(), name="preferences"),
    *router.urls,
]
