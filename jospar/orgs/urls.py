from django.urls import path

from jospar.orgs import views

app_name = "orgs"
urlpatterns = [
    path("<int:body_id>/", views.body_detail, name="body"),
    path("<int:body_id>/units/new/", views.unit_new, name="unit_new"),
    path("<int:body_id>/units/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("<int:body_id>/units/<int:unit_id>/delete/", views.unit_delete, name="unit_delete"),
    path("<int:body_id>/programs/new/", views.program_new, name="program_new"),
    path("<int:body_id>/programs/<int:program_id>/", views.program_edit, name="program_edit"),
    path(
        "<int:body_id>/programs/<int:program_id>/delete/",
        views.program_delete,
        name="program_delete",
    ),
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
