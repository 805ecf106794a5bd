from django.urls import path

from luoshi.holidays import views

app_name = "holidays"

urlpatterns = [
    path("", views.index, name="index"),
    path("load", views.load, name="load"),
    path("<int:year>/", views.year, name="year"),
]
