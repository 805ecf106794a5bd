from django.urls import path

from luoshi.supervision import views_chain

urlpatterns = [
    path("chain/tasks/<int:pk>/", views_chain.task_chain, name="chain_task"),
    path("chain/milestones/<int:pk>/", views_chain.milestone_chain, name="chain_milestone"),
    path("chain/overdue/", views_chain.overdue_list, name="chain_overdue"),
    path("chain/overdue/xlsx", views_chain.overdue_xlsx, name="chain_overdue_xlsx"),
    path("chain/overdue/docx", views_chain.overdue_word, name="chain_overdue_docx"),
]
