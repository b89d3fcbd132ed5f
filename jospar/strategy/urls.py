from django.urls import path

from jospar.lib.views import page
from jospar.strategy import import_views, views

app_name = "strategy"
P = "<int64:body_id>/development-plans/<int64:plan_id>/"
urlpatterns = [
    path("<int64:body_id>/development-plans/new/", views.plan_new, name="plan_new"),
    path(
        "<int64:body_id>/development-plans/template/",
        import_views.plan_template,
        name="plan_template",
    ),
    path("<int64:body_id>/development-plans/import/", import_views.plan_import, name="plan_import"),
    path(
        "<int64:body_id>/development-plans/import/confirm/",
        import_views.plan_import_confirm,
        name="plan_import_confirm",
    ),
    path(P, views.plan_detail, name="plan"),
    page(P + "edit/", views.plan_edit),
    *views.AMENDMENTS.urls(P, "amendments"),
    *views.DIRECTIONS.urls(P, "directions"),
    *views.GOALS.urls(P, "goals"),
    page(P + "indicators/new/<str:kind>/", views.indicator_new),
    page(P + "indicators/<int64:indicator_id>/", views.indicator_edit),
    page(P + "indicators/<int64:indicator_id>/delete/", views.indicator_delete),
]
