from django.urls import path

from itsm_pmo.views import area_overview

urlpatterns = [
    path("", area_overview, {"area": "knowledge"}, name="index"),
]
