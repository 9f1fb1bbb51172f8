"""The knowledge panels on other apps' pages (included by knowledge/urls.py)."""

from django.urls import path

from . import surfacing_views

urlpatterns = [
    path("similar/", surfacing_views.similar_view, name="similar"),
    path("lessons/<int:pk>/apply/", surfacing_views.lesson_apply_view, name="lesson_apply"),
]
