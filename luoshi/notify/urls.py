from django.urls import path

from luoshi.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.settings_page, name="settings"),
    path("robots/", views.robots, name="robots"),
    path("robots/add", views.robot_add, name="robot_add"),
    path("robots/<int:pk>/test", views.robot_test, name="robot_test"),
    path("robots/<int:pk>/active", views.robot_active, name="robot_active"),
    path("robots/<int:pk>/delete", views.robot_delete, name="robot_delete"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/resend", views.resend, name="resend"),
]
