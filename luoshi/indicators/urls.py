from django.urls import path

from luoshi.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/export.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
    path("table/export.xlsx", views.table_xlsx, name="table_xlsx"),
    path("i/<slug:code>/", views.indicator, name="indicator"),
    path("i/<slug:code>/figure", views.enter_figure, name="enter_figure"),
    path("i/<slug:code>/responsible", views.set_responsible, name="responsible"),
    path("import/", views.import_view, name="import"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("catalog/", views.catalog, name="catalog"),
]
