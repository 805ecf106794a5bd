from django.urls import path  # noqa: F401

app_name = "daily"

# The section is shown as "即将上线" in the navigation until an "index" url exists here.
urlpatterns = []
