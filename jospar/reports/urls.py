from django.urls import path

from jospar.reports import views

app_name = "reports"
Q = "<int:body_id>/operational-plans/<int:plan_id>/quarters/<int:quarter>/"
R = Q + "report/"
urlpatterns = [
    path(R, views.report_page, name="report"),
    path(R + "compile/", views.report_compile, name="report_compile"),
    path(R + "edit/", views.report_update, name="report_update"),
    path(R + "submit/", views.report_submit, name="report_submit"),
    path(R + "rows/<int:row_id>/", views.row_recommend, name="row_recommend"),
    path(
        R + "amendments/new/",
        views.amendment_recommendation_new,
        name="amendment_recommendation_new",
    ),
    path(
        R + "amendments/<int:recommendation_id>/delete/",
        views.amendment_recommendation_delete,
        name="amendment_recommendation_delete",
    ),
    path(
        R + "amendments/<int:recommendation_id>/apply/",
        views.amendment_recommendation_apply,
        name="amendment_recommendation_apply",
    ),
    path(R + "decisions/new/", views.decision_new, name="decision_new"),
    path("<int:body_id>/decisions/", views.decisions, name="decisions"),
    path(
        "<int:body_id>/decisions/<int:decision_id>/edit/",
        views.decision_edit,
        name="decision_edit",
    ),
    path(
        "<int:body_id>/decisions/<int:decision_id>/status/",
        views.decision_status,
        name="decision_status",
    ),
    path(
        "<int:body_id>/decisions/<int:decision_id>/units/<int:unit_id>/progress/",
        views.decision_progress,
        name="decision_progress",
    ),
]
