from django.urls import path

from luoshi.breakdown import views

app_name = "breakdown"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload", views.upload, name="upload"),
    path("readings/<int:pk>/", views.review, name="review"),
    path("readings/<int:pk>/items/<int:index>", views.correct, name="correct"),
    path("readings/<int:pk>/save", views.save, name="save"),
    path("aliases/", views.aliases, name="aliases"),
]
