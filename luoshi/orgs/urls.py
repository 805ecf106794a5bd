from django.urls import path

from luoshi.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.import_sheet, name="import"),
    path("export.<str:fmt>", views.export_sheet, name="export"),
    path("template.xlsx", views.template, name="template"),
]
