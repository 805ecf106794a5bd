from django.urls import path

from luoshi.work import views

app_name = "work"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report", views.report, name="report"),
    path("milestones/<int:pk>/rebaseline", views.rebaseline, name="rebaseline"),
    path("campaigns/<int:pk>/set-plan", views.set_plan, name="set_plan"),
    path("campaigns/<int:pk>/cycle", views.set_cycle, name="set_cycle"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("gantt/", views.gantt, name="gantt"),
    path("gantt/data", views.gantt_data, name="gantt_data"),
    path("gantt/export.xlsx", views.gantt_xlsx, name="gantt_xlsx"),
    path("schedule/export.xlsx", views.export_schedule, name="export"),
    path("schedule/import/", views.import_view, name="import"),
]
