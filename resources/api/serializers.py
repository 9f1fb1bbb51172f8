from rest_framework import serializers

from ..models import Person, PersonSkill, Skill, Team


class TeamSerializer(serializers.ModelSerializer):
    headcount = serializers.IntegerField(read_only=True)
    weekly_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "description", "manager", "headcount", "weekly_hours"]


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "category"]


class PersonSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="name", queryset=Skill.objects.all())

    class Meta:
        model = PersonSkill
        fields = ["skill", "level"]


class PersonSerializer(serializers.ModelSerializer):
    skills = PersonSkillSerializer(source="skill_levels", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id", "name", "email", "title", "team", "contracted_hours", "active", "user",
            "skills",
        ]
