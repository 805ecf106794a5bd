"""Read-your-writes across app servers: after any write request, the browser carries a short-lived cookie, and while
it does, pages marked @reads_replica read from the primary (luoshi.core.dbrouter). So a person who has just filed a
report sees it at once, on whichever server answers next, even while the replica lags."""

from django.conf import settings

from luoshi.core.dbrouter import PIN_COOKIE, replica_configured

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class PinToPrimaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.method not in SAFE_METHODS and settings.LUOSHI_REPLICA_PIN_SECONDS > 0
                and replica_configured()):
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.LUOSHI_REPLICA_PIN_SECONDS, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
