from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "luoshi.holidays"
    verbose_name = "放假安排"

    def ready(self):
        from luoshi.audit.labels import register
        from luoshi.core import workdays
        from luoshi.holidays import queries

        # core.workdays knows no models: it asks this app for the loaded years (and whether they changed).
        workdays.register(queries.calendar_stamp, queries.loaded_calendar)
        register("holidays.Arrangement", name="放假安排")
