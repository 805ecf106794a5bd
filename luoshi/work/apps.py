from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "luoshi.work"
    verbose_name = "重点工作"
