from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "luoshi.projects"
    verbose_name = "重点项目"
