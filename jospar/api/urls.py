"""The API's router: each stage app keeps its viewsets in its own `apis.py`; they are registered
here under /api/v1/, with the schema, its docs and the token endpoint."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jospar.accounts import apis as accounts
from jospar.api.docs import docs_view
from jospar.documents import apis as documents
from jospar.inbox import apis as inbox
from jospar.monitoring import apis as monitoring
from jospar.notifications import apis as notifications
from jospar.orgs import apis as orgs
from jospar.plans import apis as plans
from jospar.reports import apis as reports
from jospar.signatures import apis as signatures
from jospar.strategy import apis as strategy

# (URL prefix, viewset, basename) of every resource, in the order the schema lists them.
RESOURCES = [
    ("bodies", orgs.StateBodyViewSet, "api-body"),
    ("units", orgs.UnitViewSet, "api-unit"),
    ("budget-programs", orgs.BudgetProgramViewSet, "api-budget-program"),
    ("users", orgs.UserViewSet, "api-user"),
    ("role-assignments", orgs.RoleAssignmentViewSet, "api-role-assignment"),
    ("development-plans", strategy.DevelopmentPlanViewSet, "api-development-plan"),
    ("amendments", strategy.AmendmentViewSet, "api-amendment"),
    ("directions", strategy.StrategicDirectionViewSet, "api-direction"),
    ("goals", strategy.GoalViewSet, "api-goal"),
    ("indicators", strategy.IndicatorViewSet, "api-indicator"),
    ("operational-plans", plans.OperationalPlanViewSet, "api-operational-plan"),
    ("actions", plans.ActionViewSet, "api-action"),
    ("proposals", plans.ProposalViewSet, "api-proposal"),
    ("completion-forms", plans.CompletionFormViewSet, "api-completion-form"),
    ("regulation-tasks", plans.RegulationTaskViewSet, "api-task"),
    ("revisions", plans.RevisionViewSet, "api-revision"),
    ("submissions", monitoring.SubmissionViewSet, "api-submission"),
    ("evidence", monitoring.EvidenceViewSet, "api-evidence"),
    # The legal forms.
    ("plan-forms", documents.PlanFormViewSet, "api-plan-form"),
    ("report-forms", documents.ReportFormViewSet, "api-report-form"),
    ("export-jobs", documents.ExportJobViewSet, "api-export-job"),
    # The quarterly report and the officials' decisions.
    ("reports", reports.ReportViewSet, "api-report"),
    ("report-rows", reports.ReportRowViewSet, "api-report-row"),
    (
        "amendment-recommendations",
        reports.AmendmentRecommendationViewSet,
        "api-amendment-recommendation",
    ),
    ("decisions", reports.DecisionViewSet, "api-decision"),
    # The digital signatures the signed steps stored.
    ("signatures", signatures.SignatureViewSet, "api-signature"),
    # The caller's notifications.
    ("notifications", notifications.NotificationViewSet, "api-notification"),
    # The caller's own API tokens.
    ("auth/tokens", accounts.TokenViewSet, "api-own-token"),
]
router = DefaultRouter()
for prefix, viewset, basename in RESOURCES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts.ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="api-logout"),
    path("me/preferences/", notifications.PreferencesView.as_view(), name="api-preferences"),
    path("board/", monitoring.BoardView.as_view(), name="api-board"),
    path("my-work/", inbox.MyWorkView.as_view(), name="api-my-work"),
    # The XLSX import of a development plan and of an operational plan.
    path(
        "bodies/<int64:pk>/import-development-plan/",
        strategy.DevelopmentPlanImportView.as_view(),
        name="api-development-plan-import",
    ),
    path(
        "operational-plans/<int64:pk>/import/",
        documents.PlanImportView.as_view(),
        name="api-plan-import",
    ),
    # The XLSX import of a body's units and people.
    path("bodies/<int64:pk>/org-import/", orgs.OrgImportView.as_view(), name="api-org-import"),
    path("", include(router.urls)),
]
