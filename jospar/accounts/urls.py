from django.urls import path

from jospar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("details/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
