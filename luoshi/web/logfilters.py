"""Log filters. An expected refusal (PermissionDenied → 403) is one line in the server log, not a traceback:
who asked for what and the Chinese reason. Other errors keep their tracebacks."""

import logging

from django.core.exceptions import PermissionDenied


class ExpectedForbidden(logging.Filter):
    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 403 and isinstance(exc, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = (user.get_username() if getattr(user, "is_authenticated", False) else "未登录") if user is not None else "?"
            path = request.get_full_path() if request is not None else "?"
            method = getattr(request, "method", "?")
            record.msg = "拒绝访问 403：%s %s（用户 %s）：%s"
            record.args = (method, path, who, str(exc) or "无权限")
            record.exc_info = None
            record.exc_text = None
        return True
