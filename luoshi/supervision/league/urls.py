"""The league table's pages, included by luoshi/supervision/urls.py (names in the "supervision" namespace)."""

from django.urls import path

from luoshi.supervision.league import views

urlpatterns = [
    path("league/", views.league_page, name="league"),
    path("league/export", views.league_export, name="league_export"),
]
