from django.urls import path

from jospar.lib.views import page
from jospar.reports import views

app_name = "reports"
Q = "<int64:body_id>/operational-plans/<int64:plan_id>/quarters/<int64:quarter>/"
R = Q + "report/"
D = "<int64:body_id>/decisions/"
E = "<int64:body_id>/operational-plans/<int64:plan_id>/execution/"
urlpatterns = [
    path(R, views.report_page, name="report"),
    page(R + "compile/", views.report_compile),
    page(R + "edit/", views.report_update),
    page(R + "submit/", views.report_submit),
    page(R + "document/", views.report_document),
    page(R + "rows/<int64:row_id>/", views.row_recommend),
    page(R + "amendments/new/", views.amendment_recommendation_new),
    page(R + "amendments/<int64:recommendation_id>/delete/", views.amendment_recommendation_delete),
    page(R + "amendments/<int64:recommendation_id>/apply/", views.amendment_recommendation_apply),
    page(R + "decisions/new/", views.decision_new),
    page(R + "decisions/new/document/", views.decision_new_document),
    page(E, views.execution),
    page(E + "charts/<slug:chart>.svg", views.execution_chart),
    page(E + "execution.xlsx", views.execution_export),
    page(D, views.decisions),
    page(D + "<int64:decision_id>/edit/", views.decision_edit),
    page(D + "<int64:decision_id>/document/", views.decision_edit_document),
    page(D + "<int64:decision_id>/status/", views.decision_status),
    page(D + "<int64:decision_id>/units/<int64:unit_id>/progress/", views.decision_progress),
]
