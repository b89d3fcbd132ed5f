from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from jospar.accounts import views as account_views
from jospar.inbox import views as inbox_views

# The apps whose pages stand under bodies/, in the order they are tried. Monitoring first: the
# autosave, the most frequent request of all, is found without trying every page of the other
# apps first (no path of one matches a pattern of another).
BODY_APPS = ("monitoring", "orgs", "strategy", "plans", "reports", "documents", "reminders")

urlpatterns = [
    path("", inbox_views.my_work, name="home"),
    path("my-work/count/", inbox_views.my_work_count, name="my_work_count"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", account_views.login_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("jospar.accounts.urls")),
    path("notifications/", include("jospar.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path("bodies/", include(f"jospar.{app}.urls")) for app in BODY_APPS),
    path("api/v1/", include("jospar.api.urls")),
    # A signature's page and downloads (bodies/…/signatures/…) and its public verify/<code>/.
    path("", include("jospar.signatures.urls")),
    # The admin's own login would skip the second step: it is the site's login.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
]

# A database outage that rises from a middleware (the session's, say) answers 503, not 500.
handler500 = "jospar.ops.outage.server_error"
