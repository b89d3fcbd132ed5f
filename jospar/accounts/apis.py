"""The API's login: a token for a username and password, the caller's own tokens, and their
revocation."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.accounts import services
from jospar.accounts.models import ApiToken
from jospar.accounts.serializers import (
    CredentialsSerializer,
    IssuedTokenSerializer,
    TokenSerializer,
)


class ObtainTokenView(APIView):
    """A new token for a username and password (each failed attempt counts towards the
    lockout of the account and of the address)."""

    permission_classes = [AllowAny]
    authentication_classes = []  # a login, not a request made as someone
    serializer_class = CredentialsSerializer

    @extend_schema(
        operation_id="auth_token_create",
        request=CredentialsSerializer,
        responses={200: IssuedTokenSerializer},
    )
    def post(self, request: Request) -> Response:
        data = CredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with the username and password given.")]}
            )
        token, key = services.token_issue(
            user=user, name=data.validated_data.get("name") or _("API client")
        )
        return Response({"token": key, "expires_at": token.expires_at})


class LogoutView(APIView):
    """Revoke the token this request is made with."""

    @extend_schema(operation_id="auth_logout_create", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            services.token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own tokens (never their keys); DELETE revokes one."""

    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.token_revoke(actor=self.request.user, token=instance)
