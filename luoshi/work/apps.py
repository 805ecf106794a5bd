from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "luoshi.work"
    verbose_name = "重点工作"

    def ready(self):
        from luoshi.core import workdays
        from luoshi.work import judged

        # A year's 放假安排 loaded (and committed) in this process: the parts kept in the database are judged again
        # with it (work.judged), so the other processes read them rather than judging.
        workdays.listen(judged.after_calendar_change)
