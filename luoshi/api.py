"""The JSON API under /api/v1/: personal tokens (Authorization: Bearer …) or the browser session."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from luoshi.briefings import api as briefings
from luoshi.briefings.pack import api as briefings_pack
from luoshi.core.errors import MESSAGES, OUT_OF_RANGE, RETRY_AFTER_SECONDS, UNAVAILABLE, out_of_range, too_big_message
from luoshi.core.problems import Rejected
from luoshi.daily import api as daily
from luoshi.indicators import api as indicators
from luoshi.notify import api as notify
from luoshi.orgs import api as orgs
from luoshi.orgs.api_auth import BearerToken, HeaderToken, resolve_pending_token
from luoshi.projects import api as projects
from luoshi.projects.pipeline import api as projects_pipeline
from luoshi.supervision import api as supervision
from luoshi.supervision.chain import api as supervision_chain
from luoshi.supervision.consequences import api as supervision_consequences
from luoshi.supervision.league import api as supervision_league
from luoshi.work import api as work

logger = logging.getLogger("django.request")


api = NinjaAPI(
    title="落实 luoshi API",
    version="1",
    description="区县目标落实与督查督办系统的 JSON API。用个人 API 令牌调用：`Authorization: Bearer <令牌>`。错误统一为 {\"error\": \"…\"}。",
    auth=[BearerToken(), HeaderToken(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)


def error(request, message, status, **extra):
    return api.create_response(request, {"error": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(request, MESSAGES[401], 401)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, str(exc) or MESSAGES[403], 403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, str(exc) or "不存在", 404)


@api.exception_handler(Rejected)
def on_rejected(request, exc):
    return error(request, "；".join(exc.messages), 400, problems=[p.as_dict() for p in exc.problems])


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    # An endpoint that checks its token itself (orgs.api_auth.DeferredBearerToken) has not looked it up yet when
    # the body fails to parse: a bad token is still a 401, as everywhere else.
    try:
        resolve_pending_token(request)
    except AuthenticationError:
        return on_unauthenticated(request, exc)
    except PermissionDenied as denied:  # a token whose person must first change a one-time password
        return on_forbidden(request, denied)
    return error(request, "请求数据格式不正确", 422, details=exc.errors)


# django-ninja's own messages (by their start), in Chinese; any other English one gets its status's message.
NINJA_MESSAGES = {"CSRF check Failed": "CSRF 校验失败：页面外的调用请使用 API 令牌（Authorization: Bearer <令牌>）",
                  "Cannot parse request body": "请求体无法解析，应为 JSON"}


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    message = str(exc)
    if not _chinese(message):
        if exc.status_code == 400:  # an unreadable body: a bad token is still a 401 (see on_invalid)
            try:
                resolve_pending_token(request)
            except AuthenticationError:
                return on_unauthenticated(request, exc)
            except PermissionDenied as denied:
                return on_forbidden(request, denied)
        message = next((chinese for english, chinese in NINJA_MESSAGES.items() if message.startswith(english)),
                       MESSAGES.get(exc.status_code, "请求无效"))
    return error(request, message, exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return error(request, too_big_message(), 413)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_down(request, exc):
    logger.error("Database unavailable: %s", request.path, exc_info=exc, extra={"status_code": 503, "request": request})
    response = error(request, UNAVAILABLE, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    if out_of_range(exc):
        logger.warning("Out of range: %s", request.path, exc_info=exc, extra={"status_code": 400, "request": request})
        return error(request, OUT_OF_RANGE, 400)
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request})
    return error(request, MESSAGES[500], 500)


# Every router of every app and room, mounted here and nowhere else (no app module mounts another's router).
api.add_router("/", orgs.router)
api.add_router("/indicators", indicators.router)
api.add_router("/work", work.router)
api.add_router("/daily", daily.router)
api.add_router("/supervision", supervision.router)
api.add_router("/supervision", supervision_league.router)  # the league table: /supervision/league
api.add_router("/supervision", supervision_chain.router)  # 倒查: /supervision/chain/tasks|milestones/{id}, /overdue
api.add_router("/supervision", supervision_consequences.router)  # 结果运用: /supervision/consequences…, /league/adjustments…
api.add_router("/briefings", briefings.router)
api.add_router("/briefings", briefings_pack.router)  # the meeting pack: /briefings/pack, /briefings/meetings/{id}/pack
api.add_router("/notify", notify.router)
api.add_router("/projects", projects.router)
api.add_router("/projects", projects_pipeline.router)  # 双招双引: /projects/pipeline…
