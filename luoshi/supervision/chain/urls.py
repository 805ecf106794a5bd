"""The 倒查 pages; luoshi/urls.py mounts them with the notices' under /supervision/, namespace supervision."""

from django.urls import path

from luoshi.supervision.chain import views

urlpatterns = [
    path("chain/tasks/<int:pk>/", views.task_chain, name="chain_task"),
    path("chain/milestones/<int:pk>/", views.milestone_chain, name="chain_milestone"),
    path("chain/overdue/", views.overdue_list, name="chain_overdue"),
    path("chain/overdue/xlsx", views.overdue_xlsx, name="chain_overdue_xlsx"),
    path("chain/overdue/docx", views.overdue_word, name="chain_overdue_docx"),
]
