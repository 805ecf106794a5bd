from django.urls import path

from luoshi.supervision import views_league

urlpatterns = [
    path("league/", views_league.league_page, name="league"),
    path("league/export", views_league.league_export, name="league_export"),
]
