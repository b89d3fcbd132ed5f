from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jospar.orgs import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("jospar.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bodies/", include("jospar.orgs.urls")),
    path("bodies/", include("jospar.strategy.urls")),
    path("bodies/", include("jospar.plans.urls")),
    path("bodies/", include("jospar.monitoring.urls")),
    path("bodies/", include("jospar.reports.urls")),
    path("bodies/", include("jospar.documents.urls")),
    path("api/v1/", include("jospar.api.urls")),
    path("admin/", admin.site.urls),
]
