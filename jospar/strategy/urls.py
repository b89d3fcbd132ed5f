from django.urls import path

from jospar.strategy import views

app_name = "strategy"
P = "<int:body_id>/development-plans/<int:plan_id>/"
urlpatterns = [
    path("<int:body_id>/development-plans/new/", views.plan_new, name="plan_new"),
    path(P, views.plan_detail, name="plan"),
    path(P + "edit/", views.plan_edit, name="plan_edit"),
    path(P + "amendments/new/", views.amendment_new, name="amendment_new"),
    path(P + "amendments/<int:amendment_id>/", views.amendment_edit, name="amendment_edit"),
    path(
        P + "amendments/<int:amendment_id>/delete/",
        views.amendment_delete,
        name="amendment_delete",
    ),
    path(P + "directions/new/", views.direction_new, name="direction_new"),
    path(P + "directions/<int:direction_id>/", views.direction_edit, name="direction_edit"),
    path(
        P + "directions/<int:direction_id>/delete/",
        views.direction_delete,
        name="direction_delete",
    ),
    path(P + "goals/new/", views.goal_new, name="goal_new"),
    path(P + "goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path(P + "goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path(P + "indicators/new/<str:kind>/", views.indicator_new, name="indicator_new"),
    path(P + "indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path(
        P + "indicators/<int:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
]
