"""Issuing, using and revoking API tokens."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jospar.accounts.models import ApiToken, digest
from jospar.lib.records import save_record

# A token's last use is written at most this often, not on every request.
LAST_USED_STEP = dt.timedelta(minutes=5)


@transaction.atomic
def token_issue(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token of `user` and its key; the key is not stored and cannot be shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=key[:8],
        digest=digest(key),
        expires_at=timezone.now() + dt.timedelta(hours=settings.API_TOKEN_HOURS),
    )
    token.full_clean(exclude=["digest"])
    token.save()
    return token, key


def token_user(key: str):
    """The user a live token `key` belongs to, or None; notes when it was last used."""
    token = ApiToken.objects.live().select_related("user").filter(digest=digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke one token; only its owner does."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(user) -> int:
    """Revoke every live token of `user` (on logging out and on a new password)."""
    return ApiToken.objects.live().filter(user=user).update(revoked_at=timezone.now())


# What a person keeps up to date about themselves.
PROFILE_FIELDS = ("first_name", "last_name", "patronymic", "email", "position")


@transaction.atomic
def profile_update(*, actor, **fields):
    """The person's own name, e-mail and job title (the one way to change them for a person
    of more than one body, besides a superuser)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(actor, name, value)
    return save_record(actor, actor=actor, exclude=["password"])
