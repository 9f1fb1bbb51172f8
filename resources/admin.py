from django.contrib import admin

from .models import Person, PersonSkill, Skill, Team


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "manager"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "team", "title", "contracted_hours", "active"]
    list_filter = ["team", "active"]
    search_fields = ["name", "email"]
    list_select_related = ["team"]
    autocomplete_fields = ["user", "team"]
    inlines = [PersonSkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]
    search_fields = ["name"]
