from django.urls import path

from jospar.lib.views import page
from jospar.orgs import views

app_name = "orgs"
B = "<int64:body_id>/"
urlpatterns = [
    page("new/", views.body_new),
    path(B, views.body_detail, name="body"),
    path(B + "two-factor/", views.body_two_factor, name="body_two_factor"),
    path(B + "signatures/", views.body_signatures, name="body_signatures"),
    *views.UNITS.urls(B, "units"),
    *views.PROGRAMS.urls(B, "programs"),
    page(B + "members/", views.members),
    path(B + "members/new/", views.member_new, name="member_new"),
    page(B + "members/<int64:user_id>/", views.member_edit),
    page(B + "members/<int64:user_id>/password-link/", views.member_password_link),
    page(B + "members/<int64:user_id>/roles/new/", views.member_role_new),
    page(B + "roles/<int64:role_id>/delete/", views.member_role_delete),
    path(B + "org/template.xlsx", views.org_template, name="org_template"),
    page(B + "org/import/", views.org_import),
    page(B + "org/import/confirm/", views.org_import_confirm),
    page(B + "history/<str:model>/<int64:object_id>/", views.history),
]
