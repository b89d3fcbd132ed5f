from django.urls import path

from jospar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("details/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int64:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_codes"),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
]
