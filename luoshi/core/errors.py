"""The error texts that the API (luoshi/api.py) and the web shell's guard (web/guards.py) both answer with, and what
they both ask of an exception. Chinese, one place: an API error and a page's error say the same thing."""

from django.conf import settings
from django.db import DataError

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "数据库暂不可用，请稍后重试"
OUT_OF_RANGE = "请求中的数值超出范围"
MESSAGES = {
    400: "请求无效",
    401: "未登录或 API 令牌无效（缺失、错误或已吊销）",
    403: "无权访问",
    404: "不存在：没有这个 API 地址",
    405: "不支持该请求方法",
    413: "请求内容过大",
    500: "服务器内部错误，已记录。请稍后重试",
    503: UNAVAILABLE,
}


def too_big_message():
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"请求内容过大（表单或 JSON 不能超过 {limit / (1024 * 1024):g} MB）" if limit else MESSAGES[413]


def out_of_range(exception):
    """A number from the request too large for the database or for Python's dates (an id of 10^30 in a query:
    OverflowError on SQLite, numeric_value_out_of_range on PostgreSQL). Inputs should be bounded where they are
    read; this keeps one that is not from being a 500."""
    if isinstance(exception, OverflowError):
        return True
    return isinstance(exception, DataError) and getattr(exception.__cause__, "sqlstate", None) == "22003"
