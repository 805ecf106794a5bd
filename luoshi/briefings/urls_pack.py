from django.urls import path

from luoshi.briefings import views_pack

urlpatterns = [
    path("pack", views_pack.region_pack, name="pack"),
    path("pack.docx", views_pack.region_pack_docx, name="pack_docx"),
    path("meetings/<int:pk>/pack", views_pack.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack.docx", views_pack.meeting_pack_docx, name="meeting_pack_docx"),
]
