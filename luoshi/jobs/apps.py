from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "luoshi.jobs"
    verbose_name = "定时任务"

    def ready(self):
        from luoshi.jobs import checks  # noqa: F401  (registers the settings check)
