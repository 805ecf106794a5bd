from django.contrib.auth import views as auth_views
from django.urls import include, path

from luoshi.api import api
from luoshi.briefings import urls as briefings
from luoshi.briefings.pack import urls as briefings_pack
from luoshi.projects import urls as projects
from luoshi.projects.pipeline import urls as projects_pipeline
from luoshi.supervision import urls as supervision
from luoshi.supervision.chain import urls as supervision_chain
from luoshi.supervision.consequences import urls as supervision_consequences
from luoshi.supervision.league import urls as supervision_league
from luoshi.web import audit_log, passwords
from luoshi.web import views as web

urlpatterns = [
    path("api/v1/", api.urls),  # first: API calls are most of the requests and skip the pages' patterns
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("favicon.ico", web.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                extra_context={"lockout_note": passwords.lockout_note()}), name="login"),
    path("account/password/", passwords.PasswordChange.as_view(), name="password_change"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", web.tokens, name="tokens"),
    path("account/tokens/new", web.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke", web.token_revoke, name="token_revoke"),
    path("orgs/", include("luoshi.orgs.urls")),
    path("audit/", include(([path("", audit_log.entry_list, name="list")], "audit"))),  # a shell page (web/audit_log.py)
    path("indicators/", include("luoshi.indicators.urls")),
    path("work/", include("luoshi.work.urls")),
    path("supervision/", include(([*supervision.urlpatterns, *supervision_league.urlpatterns,
                                    *supervision_chain.urlpatterns, *supervision_consequences.urlpatterns],
                                   "supervision"))),  # notices, league table, 倒查, 结果运用
    path("daily/", include("luoshi.daily.urls")),
    path("breakdown/", include("luoshi.breakdown.urls")),  # 政府工作要点落实 (任务分解方案)
    path("briefings/", include(([*briefings.urlpatterns, *briefings_pack.urlpatterns], "briefings"))),  # and the pack's
    path("inbox/", include("luoshi.notify.urls")),
    path("projects/", include(([*projects.urlpatterns, *projects_pipeline.urlpatterns], "projects"))),  # and 双招双引
    path("holidays/", include("luoshi.holidays.urls")),
]
