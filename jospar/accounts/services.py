"""Issuing, using and revoking API tokens; the person's details; their two-factor login."""

import datetime as dt
import functools
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jospar.accounts.models import ApiToken, digest
from jospar.lib.reads import first_objects
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


@functools.cache
def _live_token_sql(vendor: str) -> str:
    """The live token of a digest and its user, every column of each (quoted for `vendor`):
    what ApiToken.objects.live().select_related("user").filter(digest=…) reads."""
    quote = connections[router.db_for_read(ApiToken)].ops.quote_name
    token, user = ApiToken._meta, ApiToken._meta.get_field("user").related_model._meta

    def columns(meta) -> str:
        return ", ".join(f"{quote(meta.db_table)}.{quote(f.column)}" for f in meta.concrete_fields)

    def column(meta, name: str) -> str:
        return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

    owner = column(user, user.pk.name)
    return (
        f"SELECT {columns(token)}, {columns(user)} FROM {quote(token.db_table)} "  # noqa: S608
        f"INNER JOIN {quote(user.db_table)} ON {column(token, 'user')} = {owner} "
        f"WHERE {column(token, 'digest')} = %s AND {column(token, 'revoked_at')} IS NULL "
        f"AND {column(token, 'expires_at')} > %s"
    )


def token_user(key: str):
    """The user a live token `key` belongs to, or None; notes when it was last used. Every
    request by token makes this read: the token and its user in one statement, written once
    as SQL rather than built by the ORM each time (jospar.lib.reads)."""
    using = router.db_for_read(ApiToken)
    connection = connections[using]
    now = timezone.now()
    live_at = connection.ops.adapt_datetimefield_value(now)
    user_model = ApiToken._meta.get_field("user").related_model
    found = first_objects(
        (ApiToken, user_model), _live_token_sql(connection.vendor), [digest(key), live_at], using
    )
    if found is None:
        return None
    token, user = found
    token.user = user
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
PROFILE_FIELDS = ("first_name", "last_name", "patronymic", "email", "position", "iin")


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


# Two-factor login: an authenticator app's time-based codes (a django-otp TOTP device) and a
# sheet of single-use backup codes (a static device) for when the phone is lost.
BACKUP_CODES = 10


def totp_key_new() -> str:
    """A new TOTP secret, hex-encoded as django-otp stores it (20 random bytes)."""
    return random_hex(20)


def _totp_step(key: str, code: str, after: int = -1) -> int | None:
    """The time step at which `code` is the code of `key` (one step of clock drift either way
    allowed), if it is one after `after`; None otherwise."""
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    totp = TOTP(bytes.fromhex(key))
    if not totp.verify(int(code), tolerance=1, min_t=after + 1):
        return None
    return totp.t()


def _backup_codes_new(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "backup", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enrol(*, actor, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on two-factor login for `actor` with the secret `key` their app was given, once
    `code` shows the app has it: the authenticator and the new backup codes (whose text is
    not shown again)."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("Two-factor login is already on; remove the authenticator first."))
    step = _totp_step(key, code)
    if step is None:
        raise ValidationError(
            {"code": _("This is not the current code of the authenticator app; try the next.")}
        )
    TOTPDevice.objects.filter(user=actor).delete()
    # The step just used is spent: the same code does not log in afterwards.
    device = TOTPDevice(user=actor, name="authenticator", key=key, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    return device, _backup_codes_new(actor)


def two_factor_check(*, user, code: str):
    """The device of `user` that accepts `code` (a current authenticator code not used before,
    or an unused backup code, which is spent), or None. Each wrong code delays the next try of
    that device (django-otp's throttling)."""
    code = "".join(code.split()).replace("-", "").lower()
    if not code:
        return None
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            return device
    return None


def two_factor_wait(user) -> int:
    """Seconds until `user`'s devices accept another code after wrong ones (0: now)."""
    now = timezone.now()
    waits = [0]
    for device in (*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(int((data["locked_until"] - now).total_seconds()) + 1)
    return max(waits)


@transaction.atomic
def two_factor_backup_codes_renew(*, actor) -> list[str]:
    """A new sheet of backup codes for `actor`; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("Turn on two-factor login first."))
    return _backup_codes_new(actor)


@transaction.atomic
def two_factor_remove(*, actor, code: str = "", password: str = "") -> None:
    """Turn off `actor`'s two-factor login: their authenticator and backup codes go. A current
    code or their password proves it is them."""
    if not (code or password):
        raise ValidationError(_("Give a current code or your password."))
    if code and two_factor_check(user=actor, code=code) is None:
        raise ValidationError({"code": _("The code is wrong or already used.")})
    if password and not actor.check_password(password):
        raise ValidationError({"password": _("The password is wrong.")})
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
