from django.urls import path
from django.views.generic import RedirectView

from luoshi.daily import views

app_name = "daily"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("report/<slug:form_code>/submit", views.submit, name="submit"),
    path("town/<str:code>/", views.town, name="town"),
    path("village/<str:code>/", views.village, name="village"),
    path("export.xlsx", views.export, name="export"),
    path("forms/", views.forms, name="forms"),
    path("forms/<slug:code>/", views.form_detail, name="form"),
    # Old address of the inbox, kept for links already sent.
    path("inbox/", RedirectView.as_view(pattern_name="notify:inbox"), name="inbox"),
]
