from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "luoshi.daily"
    verbose_name = "村居日报"
