from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "luoshi.daily"
    verbose_name = "村居日报"

    def ready(self):
        from luoshi.daily.labels import register_audit_labels

        register_audit_labels()  # how daily's entries read in the audit log (audit knows no domain app)
