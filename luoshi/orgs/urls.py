from django.urls import path

from luoshi.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.import_sheet, name="import"),
    path("export.<str:fmt>", views.export_sheet, name="export"),
    path("template.xlsx", views.template, name="template"),
    path("people/", views.people, name="people"),
    path("people/add", views.person_add, name="person_add"),
    path("people/<int:user_id>/role", views.person_role, name="person_role"),
    path("people/<int:user_id>/password", views.person_password, name="person_password"),
]
