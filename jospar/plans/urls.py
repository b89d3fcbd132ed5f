from django.urls import path

from jospar.lib.views import page
from jospar.plans import views

app_name = "plans"
B = "<int64:body_id>/"
P = B + "operational-plans/<int64:plan_id>/"
urlpatterns = [
    path(B + "operational-plans/", views.plan_list, name="list"),
    path(B + "operational-plans/new/", views.plan_new, name="new"),
    path(B + "tasks/new/", views.task_new, name="task_new"),
    path(B + "completion-forms/new/", views.completion_form_new, name="form_new"),
    path(P, views.plan_detail, name="plan"),
    path(P + "edit/", views.plan_edit, name="plan_edit"),
    path(P + "check/", views.plan_check, name="check"),
    path(P + "steps/<str:step>/", views.plan_transition, name="transition"),
    page(P + "approval/document/", views.approval_document),
    page(P + "adjustments/new/", views.adjustment_new),
    page(P + "next-year/", views.next_year),
    page(P + "revisions/", views.revisions),
    path(P + "revisions/compare/", views.compare_revisions, name="compare"),
    page(P + "actions/new/", views.action_new),
    page(P + "actions/<int64:action_id>/", views.action_edit),
    page(P + "actions/<int64:action_id>/move/", views.action_move),
    page(P + "actions/<int64:action_id>/delete/", views.action_delete),
    page(P + "proposals/", views.proposals),
    page(P + "proposals/new/<int64:unit_id>/", views.proposal_new),
    page(P + "proposals/<int64:proposal_id>/", views.proposal_edit),
    page(P + "proposals/<int64:proposal_id>/sign/", views.proposal_sign),
    page(P + "proposals/<int64:proposal_id>/sign/document/", views.proposal_sign_document),
    page(P + "proposals/<int64:proposal_id>/return/", views.proposal_return),
    page(P + "proposals/<int64:proposal_id>/resubmit/", views.proposal_resubmit),
    page(P + "proposals/<int64:proposal_id>/accept/", views.proposal_accept),
    page(P + "proposals/<int64:proposal_id>/decline/", views.proposal_decline),
]
