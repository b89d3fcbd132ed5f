"""The API's login: a token for a username and password (and a two-factor code, for an
account that has an authenticator), the caller's own tokens, and their revocation."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.accounts import services
from jospar.accounts.models import ApiToken
from jospar.accounts.selectors import authenticator_of, two_factor_required
from jospar.accounts.serializers import (
    CredentialsSerializer,
    IssuedTokenSerializer,
    TokenSerializer,
)
from jospar.ops.logs import SECOND_FACTOR, audit


class ObtainTokenView(APIView):
    """A new token for a username and password (each failed attempt counts towards the
    lockout of the account and of the address). An account with two-factor login sends the
    current code of its authenticator app (or a backup code) in `otp` as well; a wrong code
    counts as a failed attempt and delays the next."""

    permission_classes = [AllowAny]
    authentication_classes = []  # a login, not a request made as someone
    serializer_class = CredentialsSerializer

    @extend_schema(
        operation_id="auth_token_create",
        request=CredentialsSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(
                description=_lazy(
                    "Wrong username or password, or, for an account with two-factor "
                    "login, `otp` missing, wrong or already used."
                )
            ),
            403: OpenApiResponse(
                description=_lazy(
                    "The account's body requires two-factor login and the account "
                    "has no authenticator yet: set it up on the pages first."
                )
            ),
            429: OpenApiResponse(
                description=_lazy(
                    "Too many failed attempts: the account or the address is locked, "
                    "or wrong codes delay the next try."
                )
            ),
        },
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
        self.check_second_factor(request, user, data.validated_data.get("otp", ""))
        token, key = services.token_issue(
            user=user, name=data.validated_data.get("name") or _("API client")
        )
        audit("login", request._request, user=user, via="api_token")
        return Response({"token": key, "expires_at": token.expires_at})

    def check_second_factor(self, request: Request, user, code: str) -> None:
        if authenticator_of(user) is None:
            if two_factor_required(user):
                raise PermissionDenied(
                    _(
                        "Your body requires two-factor login: set up an authenticator app on "
                        "your account's two-factor page before you ask for a token."
                    )
                )
            return
        if not code.strip():
            raise ValidationError(
                {
                    "otp": [
                        _(
                            "This account logs in with two factors: send the code its "
                            "authenticator app shows now (or a backup code) in “otp”."
                        )
                    ]
                }
            )
        wait = services.two_factor_wait(user)
        if wait:
            raise Throttled(wait, _("Too many wrong codes: try again later."))
        if services.two_factor_check(user=user, code=code) is None:
            user_login_failed.send(
                SECOND_FACTOR,
                credentials={"username": user.get_username()},
                request=request._request,
            )
            raise ValidationError({"otp": [_("The code is wrong or already used.")]})


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
