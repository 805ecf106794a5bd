"""Sign-in lockout (django-axes): who is locked out, by which address, and until when.

A failure counts against the pair (username, client address): five wrong passwords for `leader` from one PC lock
that PC out of `leader` for the cool-off time, while `leader` still signs in from his own office.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def client_ip(request):
    """The client's address. Behind LUOSHI_TRUSTED_PROXIES reverse proxies (nginx), the address that the nearest
    trusted proxy saw, from X-Forwarded-For counted from the right (the left part can be forged by the client)."""
    proxies = settings.LUOSHI_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def retry_at(request, username):
    """When the lock on this username from this address ends (None when not locked)."""
    from axes.models import AccessAttempt

    attempt = (AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
               .select_related("expiration").order_by("-attempt_time").first())
    if attempt is None:
        return None
    expiration = getattr(attempt, "expiration", None)
    if expiration is not None and expiration.expires_at:
        return expiration.expires_at
    from axes.helpers import get_cool_off

    return attempt.attempt_time + get_cool_off(request)


def locked_out(request, response=None, credentials=None):
    """django-axes' lockout response: a Chinese page that says when to try again (status 429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    until = retry_at(request, username)
    minutes = None
    if until is not None:
        minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
        until = timezone.localtime(until)
    return render(request, "registration/locked_out.html", {"retry_at": until, "minutes": minutes, "username": username},
                  status=429)
