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
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/propose-targets", views.propose_targets, name="propose_targets"),
    path("plans/<int:pk>/bulletin", views.bulletin, name="bulletin"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/confirm", views.decide_target, {"action": "confirm"}, name="confirm_target"),
    path("targets/<int:pk>/decline", views.decide_target, {"action": "decline"}, name="decline_target"),
]
