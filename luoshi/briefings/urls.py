from django.urls import include, path  # noqa: F401  (include: the pack's pages, below)

from luoshi.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.meeting_list, name="index"),
    path("meetings/open", views.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/state", views.meeting_state, name="meeting_state"),
    path("meetings/<int:pk>/sections/<str:indicator_code>", views.section_edit, name="section"),
    path("meetings/<int:pk>/follow-ups/add", views.follow_up_add, name="follow_up_add"),
    path("", include("luoshi.briefings.urls_pack")),
]
