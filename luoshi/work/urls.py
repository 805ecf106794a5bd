from django.urls import path

from luoshi.work import views, views_chain, views_rebaseline

app_name = "work"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report", views.report, name="report"),
    path("milestones/<int:pk>/rebaseline", views_rebaseline.request_milestone, name="rebaseline"),
    path("tasks/<int:pk>/rebaseline", views_rebaseline.request_deadline, name="rebaseline_deadline"),
    path("rebaselines/", views_rebaseline.rebaselines, name="rebaselines"),
    path("rebaselines/<int:pk>/approve", views_rebaseline.decide, {"action": "approve"}, name="rebaseline_approve"),
    path("rebaselines/<int:pk>/refuse", views_rebaseline.decide, {"action": "refuse"}, name="rebaseline_refuse"),
    path("tasks/<int:pk>/input", views_chain.send_input, name="input"),
    path("tasks/<int:pk>/closure", views_chain.request_closure, name="closure"),
    path("closures/", views_chain.closures, name="closures"),
    path("closures/<int:pk>/approve", views_chain.decide_closure, {"action": "approve"}, name="closure_approve"),
    path("closures/<int:pk>/return", views_chain.decide_closure, {"action": "return"}, name="closure_return"),
    path("closures/attachments/<int:pk>/", views_chain.closure_attachment, name="closure_attachment"),
    path("campaigns/<int:pk>/set-plan", views.set_plan, name="set_plan"),
    path("campaigns/<int:pk>/cycle", views.set_cycle, name="set_cycle"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("gantt/", views.gantt, name="gantt"),
    path("gantt/data", views.gantt_data, name="gantt_data"),
    path("gantt/export.xlsx", views.gantt_xlsx, name="gantt_xlsx"),
    path("schedule/export.xlsx", views.export_schedule, name="export"),
    path("schedule/import/", views.import_view, name="import"),
]
