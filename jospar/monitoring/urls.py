from django.urls import path

from jospar.lib.views import page
from jospar.monitoring import views

app_name = "monitoring"
Q = "<int:body_id>/operational-plans/<int:plan_id>/quarters/<int:quarter>/"
U = Q + "units/<int:unit_id>/"
urlpatterns = [
    page(Q, views.quarter),
    path(Q + "board/", views.board_page, name="board"),
    path(U, views.submission_page, name="submission"),
    page(U + "entries/<int:action_id>/", views.entry_save),
    page(U + "sign-off/", views.sign_off_state),
    page(U + "sign-off/document/", views.sign_off_document),
    page(U + "entries/<int:action_id>/evidence/", views.evidence_upload),
    path(U + "evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    page(U + "evidence/<int:evidence_id>/delete/", views.evidence_delete),
    page(U + "indicators/<int:indicator_id>/", views.actual_save),
    path(U + "steps/<str:step>/", views.submission_step, name="step"),
]
