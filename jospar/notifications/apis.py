"""The caller's notifications (list, mark read) and their notification preferences."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.api.guards import JSONParser
from jospar.notifications import services
from jospar.notifications.models import Notification
from jospar.notifications.selectors import notifications_of, preference_of
from jospar.notifications.serializers import (
    NotificationSerializer,
    PreferenceSerializer,
    ReadAllSerializer,
)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, the unread first, then the newest; `?unread=true` lists the
    unread only."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return notifications_of(self.request.user, unread_only=unread).select_related(
            "content_type"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", bool, description=str(_("List only the unread notifications."))
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, *args, **kwargs) -> Response:
        """Mark one notification read."""
        notification = services.notification_read(
            actor=request.user, notification=self.get_object()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, *args, **kwargs) -> Response:
        """Mark every unread notification of the caller read."""
        return Response({"marked": services.notifications_read_all(actor=request.user)})


class PreferencesView(APIView):
    """The caller's notification preferences: e-mail at once, as a daily digest or not at all,
    and the language of the e-mail (empty: the site's)."""

    serializer_class = PreferenceSerializer
    parser_classes = [JSONParser]

    @extend_schema(operation_id="me_preferences_retrieve", responses=PreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(PreferenceSerializer(preference_of(request.user)).data)

    @extend_schema(
        operation_id="me_preferences_partial_update",
        request=PreferenceSerializer,
        responses=PreferenceSerializer,
    )
    def patch(self, request: Request) -> Response:
        current = preference_of(request.user)
        serializer = PreferenceSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"email_mode": current.email_mode, "language": current.language}
        data |= serializer.validated_data
        pref = services.preference_update(actor=request.user, **data)
        return Response(PreferenceSerializer(pref).data)
