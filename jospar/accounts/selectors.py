"""What the pages and the API ask about a person's two-factor login."""

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jospar.orgs.models import Role, RoleAssignment

# The roles a body's `require_two_factor` applies to.
TWO_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.OFFICIAL)


def authenticator_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_required(user) -> bool:
    """Whether a body the user administers or is an official of requires two-factor login."""
    return RoleAssignment.objects.filter(
        user=user, role__in=TWO_FACTOR_ROLES, body__require_two_factor=True
    ).exists()


def must_enrol(user) -> bool:
    """Two-factor login is required of the user and they have no authenticator yet."""
    return two_factor_required(user) and authenticator_of(user) is None


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
