from django.urls import path

from luoshi.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("table/", views.table, name="table"),
    path("ranking/", views.ranking, name="ranking"),
    path("mine/", views.mine, name="mine"),
    path("p/<int:pk>/", views.project, name="project"),
    path("p/<int:pk>/report", views.report, name="report"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("export", views.export, name="export"),
    path("import/", views.import_view, name="import"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("p/<int:pk>/move", views.request_move, name="request_move"),
    path("moves/", views.moves, name="moves"),
    path("moves/<int:pk>/decide", views.decide_move, name="decide_move"),
    path("p/<int:pk>/problems", views.raise_problem, name="raise_problem"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:pk>/solve", views.solve_problem, name="solve_problem"),
]
