from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from jospar.api import (
    documents_views,
    import_views,
    monitoring_views,
    plans_views,
    revisions_views,
    views,
)
from jospar.reports import apis as reports_apis

router = DefaultRouter()
router.register("bodies", views.StateBodyViewSet, basename="api-body")
router.register("units", views.UnitViewSet, basename="api-unit")
router.register("budget-programs", views.BudgetProgramViewSet, basename="api-budget-program")
router.register("users", views.UserViewSet, basename="api-user")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="api-role-assignment")
router.register("development-plans", views.DevelopmentPlanViewSet, basename="api-development-plan")
router.register("amendments", views.AmendmentViewSet, basename="api-amendment")
router.register("directions", views.StrategicDirectionViewSet, basename="api-direction")
router.register("goals", views.GoalViewSet, basename="api-goal")
router.register("indicators", views.IndicatorViewSet, basename="api-indicator")
router.register(
    "operational-plans", revisions_views.OperationalPlanViewSet, basename="api-operational-plan"
)
router.register("actions", plans_views.ActionViewSet, basename="api-action")
router.register("proposals", plans_views.ProposalViewSet, basename="api-proposal")
router.register(
    "completion-forms", plans_views.CompletionFormViewSet, basename="api-completion-form"
)
router.register("regulation-tasks", plans_views.RegulationTaskViewSet, basename="api-task")
router.register("revisions", revisions_views.RevisionViewSet, basename="api-revision")
router.register("submissions", monitoring_views.SubmissionViewSet, basename="api-submission")
router.register("evidence", monitoring_views.EvidenceViewSet, basename="api-evidence")
# The legal forms.
router.register("plan-forms", documents_views.PlanFormViewSet, basename="api-plan-form")
router.register("report-forms", documents_views.ReportFormViewSet, basename="api-report-form")
# The quarterly report and the officials' decisions.
router.register("reports", reports_apis.ReportViewSet, basename="api-report")
router.register("report-rows", reports_apis.ReportRowViewSet, basename="api-report-row")
router.register(
    "amendment-recommendations",
    reports_apis.AmendmentRecommendationViewSet,
    basename="api-amendment-recommendation",
)
router.register("decisions", reports_apis.DecisionViewSet, basename="api-decision")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("board/", monitoring_views.BoardView.as_view(), name="api-board"),
    # The XLSX import of an operational plan.
    path(
        "operational-plans/<int:pk>/import/",
        import_views.PlanImportView.as_view(),
        name="api-plan-import",
    ),
    path("", include(router.urls)),
]
