from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "luoshi.web"
    verbose_name = "界面"

    def ready(self):
        from luoshi.web import passwords  # noqa: F401  (the sign-in signal that notes a one-time password)
