from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    verbose_name = "督查督办"
