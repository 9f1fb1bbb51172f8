"""The knowledge pages: search, lessons and articles (app_name is set in knowledge/urls.py)."""

from django.urls import path

from .views import articles, lessons, search

urlpatterns = [
    path("", search.LessonSearchView.as_view(), name="index"),
    path("articles/", search.ArticleSearchView.as_view(), name="article_list"),
    path("lessons/new/", lessons.LessonCreateView.as_view(), name="lesson_create"),
    path("lessons/<int:pk>/", lessons.LessonDetailView.as_view(), name="lesson_detail"),
    path("lessons/<int:pk>/edit/", lessons.LessonEditView.as_view(), name="lesson_edit"),
    path(
        "lessons/<int:pk>/transition/",
        lessons.LessonTransitionView.as_view(),
        name="lesson_transition",
    ),
    path("articles/new/", articles.ArticleCreateView.as_view(), name="article_create"),
    path("articles/<int:pk>/", articles.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<int:pk>/edit/", articles.ArticleEditView.as_view(), name="article_edit"),
    path(
        "articles/<int:pk>/transition/",
        articles.ArticleTransitionView.as_view(),
        name="article_transition",
    ),
]
