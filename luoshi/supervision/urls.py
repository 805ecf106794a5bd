"""The notices' pages (督办单); luoshi/urls.py mounts them with the league table's (league/urls.py) and the 倒查 chain's
(chain/urls.py) under /supervision/, namespace supervision."""

from django.urls import path

from luoshi.supervision import views

urlpatterns = [
    path("", views.notice_list, name="index"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/open/<int:task_pk>", views.notice_open, name="notice_open"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/reply", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/return", views.notice_return, name="notice_return"),
    path("notices/<int:pk>/accept", views.notice_accept, name="notice_accept"),
    path("notices/<int:pk>/remind", views.notice_remind, name="notice_remind"),
    path("notices/<int:pk>/escalate", views.notice_escalate, name="notice_escalate"),
    path("notices/attachments/<int:pk>", views.step_attachment, name="step_attachment"),
    path("notices/<int:pk>/print", views.notice_print, name="notice_print"),
    path("notices/<int:pk>/docx", views.notice_docx, name="notice_docx"),
]
