"""Passwords in the web pages: change one's own (Django's PasswordChangeView, the validators of
AUTH_PASSWORD_VALIDATORS with their Chinese messages), and the one-time password an administrator hands over
(orgs.services.reset_password), which must be changed at the next sign-in.

At sign-in the account's flag (orgs.AccountState) is copied into the session, so that the middleware below
reads the session only — no query per request; changing the password clears both.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

SESSION_KEY = "luoshi_must_change_password"
# Pages a person with a one-time password may still open: the change page itself, signing out, static files.
_ALLOWED = ("/account/password/", "/logout/", "/static/", "/healthz", "/api/", "/favicon.ico")


@receiver(user_logged_in)
def note_one_time_password(sender, request, user, **kwargs):
    from luoshi.orgs.services import must_change_password

    if request is not None and hasattr(request, "session"):
        if must_change_password(user):
            request.session[SESSION_KEY] = True
        else:
            request.session.pop(SESSION_KEY, None)


class OneTimePasswordMiddleware:
    """Until a one-time password is changed, every page leads to the change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(_ALLOWED) and getattr(request, "session", None) is not None \
                and request.session.get(SESSION_KEY):
            return redirect(reverse("password_change"))
        return self.get_response(request)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["one_time"] = bool(self.request.session.get(SESSION_KEY))
        return context

    def form_valid(self, form):
        from luoshi.orgs.services import password_changed

        response = super().form_valid(form)  # keeps this session signed in (update_session_auth_hash)
        password_changed(self.request.user)
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, "密码已修改，下次登录请使用新密码")
        return response


def lockout_note():
    """The sign-in page's line about django-axes: after N failures from one computer, M minutes there."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return f"同一台电脑连续输错密码 {settings.AXES_FAILURE_LIMIT} 次，该账号在这台电脑上将被锁定 {minutes} 分钟；其他电脑不受影响。"


class MinimumLengthValidator:
    """Django's minimum-length rule with its message in Chinese (Django's zh_Hans catalog leaves this one in
    English)."""

    def __init__(self, min_length=8):
        from django.contrib.auth.password_validation import MinimumLengthValidator as Django

        self.django = Django(min_length)
        self.min_length = min_length

    def validate(self, password, user=None):
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少要有 {self.min_length} 个字符。", code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_help_text(self):
        return f"密码至少要有 {self.min_length} 个字符。"
