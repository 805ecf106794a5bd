"""结果运用 pages; luoshi/urls.py mounts them with the notices', the league table's and the 倒查 chain's under
/supervision/, namespace supervision."""

from django.urls import path

from luoshi.supervision.consequences import views

urlpatterns = [
    path("consequences/", views.consequence_list, name="consequences"),
    path("consequences/propose", views.consequence_propose, name="consequence_propose"),
    path("consequences/settings/", views.trigger_settings, name="consequence_settings"),
    path("consequences/units/<str:code>/", views.unit_history, name="consequence_unit"),
    path("consequences/<int:pk>/", views.consequence_detail, name="consequence"),
    path("consequences/<int:pk>/decide", views.consequence_decide, name="consequence_decide"),
    path("consequences/<int:pk>/docx", views.consequence_docx, name="consequence_docx"),
    path("league/experience/<str:period>/<int:unit_pk>/", views.experience, name="experience"),
    path("league/experience/<int:pk>/adopt", views.experience_adopt, name="experience_adopt"),
    path("league/adjustments/propose", views.adjustment_propose, name="adjustment_propose"),
    path("league/adjustments/<int:pk>/decide", views.adjustment_decide, name="adjustment_decide"),
    path("league/bulletin", views.bulletin, name="league_bulletin"),
]
