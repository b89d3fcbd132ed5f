from django.urls import path

from jospar.lib.views import page
from jospar.monitoring import views

app_name = "monitoring"
Q = "<int64:body_id>/operational-plans/<int64:plan_id>/quarters/<int64:quarter>/"
U = Q + "units/<int64:unit_id>/"
urlpatterns = [
    page(Q, views.quarter),
    path(Q + "board/", views.board_page, name="board"),
    path(U, views.submission_page, name="submission"),
    page(U + "entries/<int64:action_id>/", views.entry_save),
    page(U + "sign-off/", views.sign_off_state),
    page(U + "sign-off/document/", views.sign_off_document),
    page(U + "entries/<int64:action_id>/evidence/", views.evidence_upload),
    path(U + "evidence/<int64:evidence_id>/", views.evidence_download, name="evidence"),
    page(U + "evidence/<int64:evidence_id>/delete/", views.evidence_delete),
    page(U + "indicators/<int64:indicator_id>/", views.actual_save),
    path(U + "steps/<str:step>/", views.submission_step, name="step"),
]
