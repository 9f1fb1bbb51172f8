from rest_framework import viewsets

from .. import selectors
from ..filtersets import PersonFilterSet, SkillFilterSet, TeamFilterSet
from ..models import Skill
from .serializers import PersonSerializer, SkillSerializer, TeamSerializer


class TeamViewSet(viewsets.ModelViewSet):
    queryset = selectors.team_list()
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    ordering_fields = ["name", "headcount"]


class PersonViewSet(viewsets.ModelViewSet):
    queryset = selectors.person_list().order_by("name")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "contracted_hours"]


class SkillViewSet(viewsets.ModelViewSet):
    queryset = Skill.objects.order_by("name")
    serializer_class = SkillSerializer
    filterset_class = SkillFilterSet
