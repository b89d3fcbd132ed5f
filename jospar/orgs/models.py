from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import body_link, link, optional_link
from jospar.lib.models import Recorded, Versioned, change_history

code_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
    _("Use letters, digits, dots, hyphens and underscores only."),
)


class User(AbstractUser, Versioned):
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    position = models.CharField(_("job title"), max_length=255, blank=True)
    # The individual identification number: a digital signature's certificate carries it, and a
    # signature is accepted only from the person whose IIN it is (jospar.signatures).
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("Twelve digits."))],
        help_text=_("Individual identification number, as your digital signature carries it."),
    )

    history = change_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class SignatureUse(models.TextChoices):
    """Whether a step is signed with the digital signature (EDS) in a body."""

    OFF = "off", _("not used")
    OPTIONAL = "optional", _("optional")
    REQUIRED = "required", _("required")


def eds_use_field(verbose_name, help_text) -> models.CharField:
    """A body's choice for one signed step: off (the default, so a body without NCALayer works
    as before), optional or required."""
    return models.CharField(
        verbose_name,
        max_length=10,
        choices=SignatureUse.choices,
        default=SignatureUse.OFF,
        help_text=help_text,
    )


class StateBody(Recorded):
    # held in each language (jospar/translation.py)
    TEXTS = ("name", "short_name")

    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[code_validator])
    budget_administrator_code = models.CharField(
        _("budget administrator code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("Three digits, e.g. 217."))],
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    require_two_factor = models.BooleanField(
        _("two-factor login required"),
        default=False,
        help_text=_(
            "Administrators and officials of the body log in with a code from an "
            "authenticator app besides their password."
        ),
    )
    # The digital signature (EDS, jospar.signatures) of each signed step: off by default, so a
    # body without NCALayer works as before.
    eds_sign_off = eds_use_field(
        _("digital signature of the unit head's sign-off"),
        _(
            "Whether the unit head signs the unit's proposals and quarterly information with "
            "their EDS (R5, R14)."
        ),
    )
    eds_approval = eds_use_field(
        _("digital signature of the plan's approval"),
        _(
            "Whether the official signs the approval of the plan and of each adjustment with "
            "their EDS (R6, R18)."
        ),
    )
    eds_report = eds_use_field(
        _("digital signature of the quarterly report"),
        _("Whether the monitor signs the quarterly report they submit with their EDS (R15)."),
    )
    eds_decisions = eds_use_field(
        _("digital signature of the decisions"),
        _("Whether the official signs their decisions on a report with their EDS (R17)."),
    )

    # Which setting governs the signature of each kind of signed object.
    EDS_SETTING = {
        "proposal": "eds_sign_off",
        "submission": "eds_sign_off",
        "revision": "eds_approval",
        "report": "eds_report",
        "decision": "eds_decisions",
    }

    def eds_use(self, kind: str) -> str:
        """Whether signing an object of `kind` (jospar.signatures.models.SignatureKind) is off,
        optional or required in this body."""
        return getattr(self, self.EDS_SETTING[kind])

    class Meta:
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("orgs:body", args=[self.pk])


class Unit(Recorded, Versioned):
    # held in each language (jospar/translation.py)
    TEXTS = ("name", "short_name", "head_position")

    BODY_LOOKUP = "body"

    class Kind(models.TextChoices):
        STRUCTURAL = "structural", _("structural unit")
        SUBORDINATE = "subordinate", _("subordinate organisation")

    body = body_link("units")
    parent = optional_link("self", _("parent unit"), related_name="children")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STRUCTURAL)
    code = models.CharField(_("code"), max_length=30, validators=[code_validator])
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    head_name = models.CharField(_("head (full name)"), max_length=255)
    head_position = models.CharField(_("head's position"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="unit_code_unique_in_body"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("orgs:unit_edit", args=[self.body_id, self.pk])


class Role(models.TextChoices):
    EXECUTOR = "executor", _("executor")
    UNIT_HEAD = "unit_head", _("unit head")
    PLANNER = "planner", _("planner")
    MONITOR = "monitor", _("monitor")
    OFFICIAL = "official", _("official")
    VIEWER = "viewer", _("viewer")
    ADMINISTRATOR = "administrator", _("administrator")


UNIT_ROLES = frozenset({Role.EXECUTOR, Role.UNIT_HEAD})


class RoleAssignment(Recorded):
    """A user holds a role in a body; executors and unit heads hold it for one unit."""

    BODY_LOOKUP = "body"

    user = link(User, _("user"), related_name="roles", on_delete=models.CASCADE)
    body = body_link("roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = optional_link(Unit, _("unit"), related_name="roles", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role", "unit"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "body", "role"],
                condition=models.Q(unit__isnull=True),
                name="role_assignment_unique_without_unit",
            ),
        ]

    def __str__(self):
        if self.unit_id:
            return f"{self.user} — {self.get_role_display()} ({self.unit})"
        return f"{self.user} — {self.get_role_display()}"


class BudgetProgram(Recorded, Versioned):
    # held in each language (jospar/translation.py)
    TEXTS = ("name",)

    BODY_LOOKUP = "body"

    body = body_link("budget_programs")
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[
            RegexValidator(r"^\d{3}(\d{3})?$", _("Three digits (or six with a subprogram)."))
        ],
    )
    name = models.CharField(_("name"), max_length=500)

    class Meta:
        verbose_name = _("budget program")
        verbose_name_plural = _("budget programs")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="budget_program_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"
