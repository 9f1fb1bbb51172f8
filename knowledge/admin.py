from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from itsm_pmo.admin import TransitionRecordAdmin, TransitionRecordInline

from .models import Article, ArticleTransition, Lesson, LessonApplication, LessonTransition, Tag


class LessonTransitionInline(TransitionRecordInline):
    model = LessonTransition


class ArticleTransitionInline(TransitionRecordInline):
    model = ArticleTransition


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "impact", "state", "author", "applied_count"]
    list_filter = ["state", "category", "impact"]
    search_fields = ["title", "recommendation"]
    filter_horizontal = ["tags"]
    raw_id_fields = ["project", "change", "incident", "handover"]
    readonly_fields = ["state", "applied_count", "published_at"]
    inlines = [LessonTransitionInline]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "service", "owner", "next_review", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["incident"]
    readonly_fields = ["state", "published_at"]
    inlines = [ArticleTransitionInline]


admin.site.register(LessonTransition, TransitionRecordAdmin)
admin.site.register(ArticleTransition, TransitionRecordAdmin)
admin.site.register(Tag)
admin.site.register(LessonApplication)
