"""The morning rush's lean path (docs/benchmarks.md, "Daily reports"): `POST /api/v1/daily/reports` with a Bearer
token, a JSON body and no cookie is first tried by daily.api.submit_lean — one statement that checks the token and
saves the village's first report of the day — without the middleware below this one (session, locale, CSRF,
authentication, messages …: nothing they do touches such a request), URL resolution and django-ninja. Whatever
that does not save (a bad token, a retry, a correction, a body to explain) goes on down the stack to the endpoint,
which answers as always.

It sits below the security, CSP, guard and replica-pin middleware, which treat this request like any other (the
guard's parsed body is reused); the headers the middleware it skips would have added to this answer are added
here, and tests/web/test_fastpath.py holds the two paths' answers equal, headers included.
"""

from django.conf import settings
from django.utils import translation

from luoshi.daily import api as daily_api
from luoshi.web.guards import parsed_json

SUBMIT_PATH = "/api/v1/daily/reports"


class LeanSubmitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == SUBMIT_PATH and request.method == "POST":
            meta = request.META
            if "HTTP_AUTHORIZATION" in meta and not meta.get("HTTP_COOKIE") and request.content_type == "application/json":
                response = self._lean(request)
                if response is not None:
                    return response
        return self.get_response(request)

    def _lean(self, request):
        request.get_host()  # a host not allowed is refused as CommonMiddleware refuses it (DisallowedHost, 400)
        try:
            body = parsed_json(request)
        except (ValueError, RecursionError):
            return None
        response = daily_api.submit_lean(request, body)
        if response is None:
            return None
        # What the skipped middleware add to the endpoint's answer: SessionMiddleware's Vary (the one-time-password
        # check reads the session), LocaleMiddleware's language, CommonMiddleware's length, X-Frame-Options.
        response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        response["Content-Length"] = str(len(response.content))
        response["Vary"] = "Accept-Language, Cookie"
        response["Content-Language"] = translation.get_language_from_request(request)
        return response
