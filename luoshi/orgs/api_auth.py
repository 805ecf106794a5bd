"""How API calls authenticate: a personal token (`Authorization: Bearer …` or `X-API-Token: …`) or the browser
session. The classes are given to django-ninja in luoshi/api.py."""

from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer

from luoshi.orgs.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        user = user_for_token(key)
        if user is not None:
            request.user = user
        return user


class PendingToken:
    """A bearer token that has not been looked up yet. An endpoint that checks the token inside its own
    statement (the daily submission, docs/benchmarks.md) reads it with pending_token(); every other way through
    that endpoint calls resolve_pending_token() first, which looks it up the usual way."""

    def __init__(self, raw):
        self.raw = raw


class DeferredBearerToken(HttpBearer):
    """Bearer authentication for an endpoint that checks the token itself. With a Bearer header the token
    decides: an unknown or revoked one is a 401 as soon as the endpoint resolves it."""

    def authenticate(self, request, token):
        if not token.strip():
            return None
        pending = request.pending_token = PendingToken(token)
        return pending


def pending_token(request):
    """The raw bearer token of a request authenticated by DeferredBearerToken and not yet resolved, else None."""
    pending = getattr(request, "pending_token", None)
    return pending.raw if pending is not None else None


def resolve_pending_token(request):
    """Look the request's pending bearer token up and make its user the request's user; AuthenticationError (401)
    when the token is unknown, revoked or its account inactive. Without a pending token, the request's user."""
    pending = request.__dict__.pop("pending_token", None)
    if pending is None:
        return request.user
    user = user_for_token(pending.raw)
    if user is None:
        raise AuthenticationError()
    request.user = request.auth = user
    return user
