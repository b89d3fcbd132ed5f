from django.urls import path

from jospar.plans import views

app_name = "plans"
P = "<int:body_id>/operational-plans/<int:plan_id>/"
urlpatterns = [
    path("<int:body_id>/operational-plans/", views.plan_list, name="list"),
    path("<int:body_id>/operational-plans/new/", views.plan_new, name="new"),
    path("<int:body_id>/tasks/new/", views.task_new, name="task_new"),
    path("<int:body_id>/completion-forms/new/", views.completion_form_new, name="form_new"),
    path(P, views.plan_detail, name="plan"),
    path(P + "check/", views.plan_check, name="check"),
    path(P + "steps/<str:step>/", views.plan_transition, name="transition"),
    path(P + "adjustments/new/", views.adjustment_new, name="adjustment_new"),
    path(P + "revisions/", views.revisions, name="revisions"),
    path(P + "revisions/compare/", views.compare_revisions, name="compare"),
    path(P + "actions/new/", views.action_new, name="action_new"),
    path(P + "actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path(P + "actions/<int:action_id>/move/", views.action_move, name="action_move"),
    path(P + "actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path(P + "proposals/", views.proposals, name="proposals"),
    path(P + "proposals/new/<int:unit_id>/", views.proposal_new, name="proposal_new"),
    path(P + "proposals/<int:proposal_id>/", views.proposal_edit, name="proposal_edit"),
    path(P + "proposals/<int:proposal_id>/sign/", views.proposal_sign, name="proposal_sign"),
    path(P + "proposals/<int:proposal_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path(
        P + "proposals/<int:proposal_id>/decline/", views.proposal_decline, name="proposal_decline"
    ),
]
