"""The meeting pages; luoshi/urls.py mounts them with the pack's (pack/urls.py) under /briefings/, namespace briefings."""

from django.urls import path

from luoshi.briefings import views

urlpatterns = [
    path("", views.meeting_list, name="index"),
    path("meetings/open", views.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/state", views.meeting_state, name="meeting_state"),
    path("meetings/<int:pk>/sections/<str:indicator_code>", views.section_edit, name="section"),
    path("meetings/<int:pk>/follow-ups/add", views.follow_up_add, name="follow_up_add"),
    path("meetings/<int:pk>/overview", views.overview_edit, name="overview"),
]
