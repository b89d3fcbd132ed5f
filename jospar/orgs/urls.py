from django.urls import path

from jospar.orgs import views

app_name = "orgs"
urlpatterns = [
    path("<int:body_id>/", views.body_detail, name="body"),
    *views.UNITS.urls("<int:body_id>/", "units"),
    *views.PROGRAMS.urls("<int:body_id>/", "programs"),
    path("<int:body_id>/members/", views.members, name="members"),
    path("<int:body_id>/members/new/", views.member_new, name="member_new"),
    path("<int:body_id>/members/<int:user_id>/", views.member_edit, name="member_edit"),
    path(
        "<int:body_id>/members/<int:user_id>/roles/new/",
        views.member_role_new,
        name="member_role_new",
    ),
    path(
        "<int:body_id>/roles/<int:role_id>/delete/",
        views.member_role_delete,
        name="member_role_delete",
    ),
    path(
        "<int:body_id>/history/<str:model>/<int:object_id>/",
        views.history,
        name="history",
    ),
]
