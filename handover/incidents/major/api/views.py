"""The major-incident API: declare (POST the incident), read, post to the timeline, engage
and release people, write the review, agree and tick actions, and `transition/`.

Every write goes through a service of handover.incidents.major.services, which asks the
predicates (403) and the move table (409); the viewsets only validate input and call it."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import MajorIncidentFilterSet
from ..models import ReviewAction
from .serializers import (
    EngagementReleaseSerializer,
    EngagementSerializer,
    MajorIncidentDetailSerializer,
    MajorIncidentSerializer,
    MajorIncidentUpdateSerializer,
    MajorTransitionSerializer,
    PostIncidentReviewSerializer,
    ReviewActionDoneSerializer,
    ReviewActionSerializer,
)


class MajorIncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Major incidents, active first. Creating one declares its incident major (ITSM
    managers); the state moves only with `transition/`."""

    queryset = selectors.major_list()
    filterset_class = MajorIncidentFilterSet

    def get_queryset(self):
        if self.action == "list":
            return selectors.major_list()
        return selectors.major_detail()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MajorIncidentDetailSerializer
        return MajorIncidentSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.major_declare(
            incident=data["incident"], by=self.request.user, summary=data.get("summary", "")
        )

    def _detail(self, major, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.major_detail().get(pk=major.pk)
        return Response(MajorIncidentDetailSerializer(fresh).data, status=code)

    @extend_schema(
        request=MajorIncidentUpdateSerializer, responses={201: MajorIncidentUpdateSerializer}
    )
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        """Post an update, or a communication with its `audience` (ITSM managers and the
        people engaged)."""
        major = self.get_object()
        body = MajorIncidentUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = services.major_post(major=major, by=request.user, **body.validated_data)
        return Response(MajorIncidentUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EngagementSerializer, responses={201: EngagementSerializer})
    @action(detail=True, methods=["post"])
    def engagements(self, request, pk=None):
        """Engage a person in a role (ITSM managers)."""
        major = self.get_object()
        body = EngagementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        engagement = services.engagement_add(major=major, by=request.user, **body.validated_data)
        return Response(EngagementSerializer(engagement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EngagementReleaseSerializer, responses=EngagementSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Release an engaged person (ITSM managers)."""
        major = self.get_object()
        body = EngagementReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        engagement = get_object_or_404(major.engagements, pk=body.validated_data["engagement"])
        engagement = services.engagement_release(engagement=engagement, by=request.user)
        return Response(EngagementSerializer(engagement).data)

    @extend_schema(request=PostIncidentReviewSerializer, responses=PostIncidentReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Write the post-incident review's parts given (ITSM managers)."""
        major = self.get_object()
        body = PostIncidentReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = services.review_write(major=major, by=request.user, **body.validated_data)
        return Response(PostIncidentReviewSerializer(review).data)

    @extend_schema(request=ReviewActionSerializer, responses={201: ReviewActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """Agree an action with an owner and a due date (ITSM managers)."""
        major = self.get_object()
        body = ReviewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.action_add(major=major, by=request.user, **body.validated_data)
        return Response(ReviewActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MajorTransitionSerializer, responses=MajorIncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the major incident: 409 with the allowed moves when the table refuses
        (closing needs a complete review)."""
        major = self.get_object()
        body = MajorTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        major = services.major_transition(major=major, by=request.user, **body.validated_data)
        return self._detail(major)


class ReviewActionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The actions of post-incident reviews, tracked after closing; `complete/` ticks one done
    (ITSM managers and its owner)."""

    queryset = ReviewAction.objects.select_related("owner", "review").order_by("due_on", "pk")
    serializer_class = ReviewActionSerializer
    filterset_fields = ["owner", "review__major_incident"]

    @extend_schema(request=ReviewActionDoneSerializer, responses=ReviewActionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Tick the action done (`done: false` opens it again)."""
        item = self.get_object()
        body = ReviewActionDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.action_complete(action=item, by=request.user, **body.validated_data)
        return Response(ReviewActionSerializer(item).data)
