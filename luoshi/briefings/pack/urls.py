from django.urls import path

from luoshi.briefings.pack import views

urlpatterns = [
    path("pack", views.region_pack, name="pack"),
    path("pack.docx", views.region_pack_docx, name="pack_docx"),
    path("meetings/<int:pk>/pack", views.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack.docx", views.meeting_pack_docx, name="meeting_pack_docx"),
]
