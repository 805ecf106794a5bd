"""Before any view: refuse NUL bytes, bodies over the limit, and fields holding characters core.text refuses. After:
the API answers every error as JSON, and a database that is restarting is a 503 with Retry-After, not a 500.

NUL is refused because PostgreSQL cannot store it in text (a DataError, a 500) and no person types it. Lone surrogates,
other control characters and non-characters (core.text) are refused in every form field and every JSON string (keys
too) of a request's body: this is where the text of every page and API write comes in. (Django itself drops what is not
printable from an uploaded file's name.)
"""

import json
import logging
import re
import sys

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from luoshi.core import text
from luoshi.core.errors import MESSAGES, OUT_OF_RANGE, RETRY_AFTER_SECONDS, out_of_range, too_big_message

API_PREFIX = "/api/"
NUL_REFUSED = "请求中含有空字符（NUL），已拒绝"
UNREADABLE = "请求内容无法解析（表单格式不正确或字段过多）"
TITLES = {400: "请求无效", 405: "不支持该请求方法", 413: "提交的内容过大", 503: "系统暂不可用"}
DATABASE_DOWN = (OperationalError, InterfaceError)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

logger = logging.getLogger("django.request")


def is_api(request):
    return request.path.startswith(API_PREFIX)


def refusal(request, status, message=None):
    """The error as the caller reads it: JSON on the API, a Chinese page elsewhere (without the site's frame: it
    may be answered before the session and the database are reached)."""
    message = message or (too_big_message() if status == 413 else MESSAGES.get(status)) or MESSAGES[400]
    if is_api(request):
        response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        html = render_to_string("error.html", {"title": TITLES.get(status, "请求无效"), "message": message})
        response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _has_nul(request):
    if "\x00" in request.path:
        return True
    if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method not in BODY_METHODS:
        return False
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # The fields Django parses anyway (CSRF reads them); files are the importers' to judge.
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
    body = request.body
    return b"\x00" in body or b"\\u0000" in body


def _refused_text(request):
    """Why the body's text is refused (core.text.problem, with the field's name), or None. A body that is neither a
    form nor JSON is left to the view, which cannot read it either."""
    if request.method not in BODY_METHODS:
        return None
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields = ((key, value) for key, values in request.POST.lists() for value in [key, *values])
    else:
        try:
            fields = _json_texts(parsed_json(request))
        except (ValueError, RecursionError):
            return None
    for name, value in fields:
        if message := text.problem(value):
            name = text.for_documents(name)[:40]
            return (f"「{name}」" if name else "提交的内容") + message
    return None


def parsed_json(request):
    """The request's body as json.loads reads it, parsed once per request (the guard reads it, and so does the lean
    path of web.fastpath after it): by orjson, faster, which refuses what json reads beyond the standard (NaN,
    Infinity, lone surrogates, a byte-order mark …) and otherwise reads the same values, except integers past 64
    bits (a float): so json reads a body with 19 digits in a row, and any orjson refuses. Raises as json.loads
    (ValueError, RecursionError)."""
    parsed = request.__dict__.get("_luoshi_json", _UNREAD)
    if parsed is _UNREAD:
        body = request.body
        try:
            parsed = json.loads(body) if _LONG_NUMBER.search(body) else orjson.loads(body)
        except orjson.JSONDecodeError:
            parsed = json.loads(body)
        request._luoshi_json = parsed
    return parsed


_UNREAD = object()
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def _json_texts(value):
    """(the nearest key, text) for every string of a parsed JSON body, keys included; without recursion."""
    stack = [("", value)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield key, key
                stack.append((key, item))
        elif isinstance(value, list):
            stack.extend((name, item) for item in value)


def _too_big(request):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE, told by its Content-Length before it is read (uploads in
    multipart/form-data have their own limit, core.limits)."""
    if request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


class RequestGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _too_big(request):
            return refusal(request, 413)
        try:
            if _has_nul(request):
                return refusal(request, 400, NUL_REFUSED)
            if message := _refused_text(request):
                return refusal(request, 400, message)
        except RequestDataTooBig:
            return refusal(request, 413)
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
            return refusal(request, 400, UNREADABLE)
        response = self.get_response(request)
        if response.status_code == 500 and isinstance(getattr(request, "_luoshi_uncaught", None), DATABASE_DOWN):
            return refusal(request, 503)
        if response.status_code >= 400 and not response.streaming:
            content_type = response.get("Content-Type", "")
            if (is_api(request) and not content_type.startswith("application/json")) or \
                    (not is_api(request) and response.status_code == 405 and not response.content):
                replaced = refusal(request, response.status_code)
                if response.has_header("Allow"):
                    replaced["Allow"] = response["Allow"]
                return replaced
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable: %s", request.path, exc_info=exception,
                         extra={"status_code": 503, "request": request})
            return refusal(request, 503)
        if out_of_range(exception):
            logger.warning("Out of range: %s", request.path, exc_info=exception, extra={"status_code": 400, "request": request})
            return refusal(request, 400, OUT_OF_RANGE)
        return None


@receiver(got_request_exception)
def _remember_uncaught(sender, request=None, **kwargs):
    # An exception outside a view (a middleware saving the session while the database restarts) reaches the guard
    # only as Django's 500 page; this tells it what happened.
    if request is not None:
        request._luoshi_uncaught = sys.exc_info()[1]
