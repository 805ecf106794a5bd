"""The pipeline's pages; luoshi/urls.py mounts them with the projects' under /projects/, namespace projects."""

from django.urls import path

from luoshi.projects.pipeline import views

urlpatterns = [
    path("pipeline/", views.board, name="pipeline"),
    path("pipeline/export", views.export, name="pipeline_export"),
    path("pipeline/new", views.new_lead, name="pipeline_new"),
    path("pipeline/l/<int:pk>/", views.lead, name="pipeline_lead"),
    path("pipeline/l/<int:pk>/edit", views.edit_lead, name="pipeline_edit"),
    path("pipeline/l/<int:pk>/stage", views.stage, name="pipeline_stage"),
    path("pipeline/l/<int:pk>/funds", views.funds, name="pipeline_funds"),
    path("pipeline/stages/<int:pk>/correct", views.correct_stage, name="pipeline_correct_stage"),
    path("pipeline/evidence/<int:pk>/", views.evidence, name="pipeline_evidence"),
]
