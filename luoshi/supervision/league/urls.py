"""The league table's pages; luoshi/urls.py mounts them with the notices' under /supervision/, namespace supervision."""

from django.urls import path

from luoshi.supervision.league import views

urlpatterns = [
    path("league/", views.league_page, name="league"),
    path("league/export", views.league_export, name="league_export"),
]
