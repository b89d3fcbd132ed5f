from django.urls import path

from jospar.strategy import views

app_name = "strategy"
P = "<int:body_id>/development-plans/<int:plan_id>/"
urlpatterns = [
    path("<int:body_id>/development-plans/new/", views.plan_new, name="plan_new"),
    path(P, views.plan_detail, name="plan"),
    path(P + "edit/", views.plan_edit, name="plan_edit"),
    *views.AMENDMENTS.urls(P, "amendments"),
    *views.DIRECTIONS.urls(P, "directions"),
    *views.GOALS.urls(P, "goals"),
    path(P + "indicators/new/<str:kind>/", views.indicator_new, name="indicator_new"),
    path(P + "indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path(
        P + "indicators/<int:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
]
