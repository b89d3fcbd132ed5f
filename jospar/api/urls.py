"""The API's router: each stage app keeps its viewsets in its own `apis.py`; they are registered
here under /api/v1/, with the schema, its docs and the token endpoint."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from jospar.accounts import apis as accounts
from jospar.documents import apis as documents
from jospar.monitoring import apis as monitoring
from jospar.orgs import apis as orgs
from jospar.plans import apis as plans
from jospar.reports import apis as reports
from jospar.strategy import apis as strategy

router = DefaultRouter()
router.register("bodies", orgs.StateBodyViewSet, basename="api-body")
router.register("units", orgs.UnitViewSet, basename="api-unit")
router.register("budget-programs", orgs.BudgetProgramViewSet, basename="api-budget-program")
router.register("users", orgs.UserViewSet, basename="api-user")
router.register("role-assignments", orgs.RoleAssignmentViewSet, basename="api-role-assignment")
router.register(
    "development-plans", strategy.DevelopmentPlanViewSet, basename="api-development-plan"
)
router.register("amendments", strategy.AmendmentViewSet, basename="api-amendment")
router.register("directions", strategy.StrategicDirectionViewSet, basename="api-direction")
router.register("goals", strategy.GoalViewSet, basename="api-goal")
router.register("indicators", strategy.IndicatorViewSet, basename="api-indicator")
router.register("operational-plans", plans.OperationalPlanViewSet, basename="api-operational-plan")
router.register("actions", plans.ActionViewSet, basename="api-action")
router.register("proposals", plans.ProposalViewSet, basename="api-proposal")
router.register("completion-forms", plans.CompletionFormViewSet, basename="api-completion-form")
router.register("regulation-tasks", plans.RegulationTaskViewSet, basename="api-task")
router.register("revisions", plans.RevisionViewSet, basename="api-revision")
router.register("submissions", monitoring.SubmissionViewSet, basename="api-submission")
router.register("evidence", monitoring.EvidenceViewSet, basename="api-evidence")
# The legal forms.
router.register("plan-forms", documents.PlanFormViewSet, basename="api-plan-form")
router.register("report-forms", documents.ReportFormViewSet, basename="api-report-form")
# The quarterly report and the officials' decisions.
router.register("reports", reports.ReportViewSet, basename="api-report")
router.register("report-rows", reports.ReportRowViewSet, basename="api-report-row")
router.register(
    "amendment-recommendations",
    reports.AmendmentRecommendationViewSet,
    basename="api-amendment-recommendation",
)
router.register("decisions", reports.DecisionViewSet, basename="api-decision")
# The caller's own API tokens.
router.register("auth/tokens", accounts.TokenViewSet, basename="api-own-token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts.ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="api-logout"),
    path("board/", monitoring.BoardView.as_view(), name="api-board"),
    # The XLSX import of an operational plan.
    path(
        "operational-plans/<int:pk>/import/",
        documents.PlanImportView.as_view(),
        name="api-plan-import",
    ),
    path("", include(router.urls)),
]
