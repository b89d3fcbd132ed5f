from django.urls import path

from jospar.monitoring import report_views, views

app_name = "monitoring"
Q = "<int:body_id>/operational-plans/<int:plan_id>/quarters/<int:quarter>/"
U = Q + "units/<int:unit_id>/"
R = Q + "report/"
urlpatterns = [
    path(Q, views.quarter, name="quarter"),
    path(Q + "board/", views.board_page, name="board"),
    path(U, views.submission_page, name="submission"),
    path(U + "entries/<int:action_id>/", views.entry_save, name="entry_save"),
    path(U + "entries/<int:action_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(U + "evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path(U + "evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path(U + "indicators/<int:indicator_id>/", views.actual_save, name="actual_save"),
    path(U + "steps/<str:step>/", views.submission_step, name="step"),
    path(R, report_views.report_page, name="report"),
    path(R + "compile/", report_views.report_compile, name="report_compile"),
    path(R + "edit/", report_views.report_update, name="report_update"),
    path(R + "submit/", report_views.report_submit, name="report_submit"),
    path(R + "rows/<int:row_id>/", report_views.row_recommend, name="row_recommend"),
    path(R + "amendments/new/", report_views.amendment_new, name="amendment_new"),
    path(
        R + "amendments/<int:recommendation_id>/delete/",
        report_views.amendment_delete,
        name="amendment_delete",
    ),
    path(
        R + "amendments/<int:recommendation_id>/apply/",
        report_views.amendment_apply,
        name="amendment_apply",
    ),
    path(R + "decisions/new/", report_views.decision_new, name="decision_new"),
    path("<int:body_id>/decisions/", report_views.decisions, name="decisions"),
    path(
        "<int:body_id>/decisions/<int:decision_id>/edit/",
        report_views.decision_edit,
        name="decision_edit",
    ),
    path(
        "<int:body_id>/decisions/<int:decision_id>/status/",
        report_views.decision_status,
        name="decision_status",
    ),
    path(
        "<int:body_id>/decisions/<int:decision_id>/units/<int:unit_id>/progress/",
        report_views.decision_progress,
        name="decision_progress",
    ),
]
