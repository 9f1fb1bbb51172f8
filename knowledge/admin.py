from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Lesson, LessonApplication, Tag


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "impact", "state", "author", "applied_count"]
    list_filter = ["state", "category", "impact"]
    search_fields = ["title", "recommendation"]
    filter_horizontal = ["tags"]
    raw_id_fields = ["project", "change", "incident", "handover"]
    readonly_fields = ["state", "applied_count", "published_at"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "service", "owner", "next_review", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["incident"]
    readonly_fields = ["state", "published_at"]


admin.site.register(Tag)
admin.site.register(LessonApplication)
