from django.core.checks import Error, register

from luoshi.core.problems import Rejected


@register()
def job_settings(app_configs, **kwargs):
    """Bad LUOSHI_JOB_* values stop `luoshi migrate`, the server and the worker with a Chinese message."""
    from luoshi.jobs import schedule

    try:
        schedule.planned()
    except Rejected as exc:
        return [Error(message, id="luoshi.jobs.E001") for message in exc.messages]
    return []
