from django.urls import path

from itsm_pmo.views import area_overview

app_name = "portfolio"

urlpatterns = [
    path("", area_overview, {"area": "portfolio"}, name="index"),
]
