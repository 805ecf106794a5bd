from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "luoshi.briefings"
    verbose_name = "会议材料"
