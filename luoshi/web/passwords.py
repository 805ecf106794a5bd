"""Passwords in the web pages: change one's own (Django's PasswordChangeView, the validators of
AUTH_PASSWORD_VALIDATORS with their Chinese messages), and the one-time password an administrator hands over
(orgs.services.reset_password), which signs in once and must then be changed.

At sign-in the account's flag (orgs.AccountState) is copied into the session, so that the middleware below
reads the session only — no query per request; changing the password clears both. The first sign-in with the
one-time password spends it (orgs.services.spend_one_time_password): that session is the only one, and it is held
on the change page, which then asks for the new password only. The API refuses such a session, and a token of a
person who must change the password (orgs.services.user_for_token), with 403.
"""

from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

SESSION_KEY = "luoshi_must_change_password"
# Pages a person with a one-time password may still open: the change page itself, signing out, static files.
_ALLOWED = ("/account/password/", "/logout/", "/static/", "/healthz", "/favicon.ico")
API_REFUSAL = "您正在使用管理员重置的一次性密码，请先在网页上修改密码（/account/password/），之后才能使用 API"


@receiver(user_logged_in)
def note_one_time_password(sender, request, user, **kwargs):
    from luoshi.orgs.services import must_change_password, spend_one_time_password

    if request is None or not hasattr(request, "session"):
        return
    if not must_change_password(user):
        request.session.pop(SESSION_KEY, None)
        return
    if not spend_one_time_password(user):
        request.session.flush()  # another sign-in spent it a moment earlier: this one does not count
        return
    # The password changed under this session: it keeps the session (the others were ended by the reset).
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request.session[SESSION_KEY] = True


class OneTimePasswordMiddleware:
    """Until a one-time password is changed, every page leads to the change page and the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(_ALLOWED) and getattr(request, "session", None) is not None \
                and request.session.get(SESSION_KEY):
            if path.startswith("/api/"):
                return JsonResponse({"error": API_REFUSAL}, status=403, json_dumps_params={"ensure_ascii": False})
            return redirect(reverse("password_change"))
        return self.get_response(request)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def get_form_class(self):
        # The one-time password was spent at sign-in: this session proved it, the new password is all it asks.
        return SetPasswordForm if self.request.session.get(SESSION_KEY) else PasswordChangeForm

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
