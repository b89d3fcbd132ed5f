from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import body_link, link, long_text, optional_link
from jospar.lib.models import Numbered, Recorded, Versioned
from jospar.orgs.models import Unit


class DevelopmentPlan(Recorded, Versioned):
    """The body's development plan: the context that the operational plan serves (R2–R4)."""

    # held in each language (jospar/translation.py)
    TEXTS = ("title",)

    BODY_LOOKUP = "body"

    body = body_link("development_plans")
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    signed_on = models.DateField(_("signing date"))
    document = models.CharField(_("approving document"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "start_year"], name="development_plan_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="development_plan_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self):
        return reverse("strategy:plan", args=[self.body_id, self.pk])

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Amendment(Recorded, Versioned):
    BODY_LOOKUP = "plan__body"

    plan = link(
        DevelopmentPlan, _("development plan"), related_name="amendments", on_delete=models.CASCADE
    )
    signed_on = models.DateField(_("signing date"))
    document = models.CharField(_("amending document"), max_length=255, blank=True)
    description = long_text(_("what changed"))

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["signed_on", "pk"]

    def __str__(self):
        return f"{self.signed_on:%d.%m.%Y} {self.document}".strip()


class StrategicDirection(Numbered, Versioned):
    BODY_LOOKUP = "plan__body"
    LABEL = _("Strategic direction %(number)s. %(name)s")

    plan = link(
        DevelopmentPlan, _("development plan"), related_name="directions", on_delete=models.CASCADE
    )

    class Meta(Numbered.Meta):
        verbose_name = _("strategic direction")
        verbose_name_plural = _("strategic directions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="direction_number_unique"),
        ]


class Goal(Numbered, Versioned):
    """A goal of a strategic direction, numbered "direction.goal" (1.1, 2.1 …)."""

    BODY_LOOKUP = "direction__plan__body"
    LABEL = _("Goal %(code)s. %(name)s")

    direction = link(
        StrategicDirection, _("strategic direction"), related_name="goals", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(_("number within the direction"))

    class Meta(Numbered.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["direction__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "number"], name="goal_number_unique"),
        ]

    @property
    def code(self) -> str:
        return f"{self.direction.number}.{self.number}"


class Indicator(Recorded, Versioned):
    """A macro indicator (of a direction) or a target indicator (of a goal)."""

    # held in each language (jospar/translation.py)
    TEXTS = ("name", "unit_of_measure")

    BODY_LOOKUP = "plan__body"

    class Kind(models.TextChoices):
        MACRO = "macro", _("macro indicator")
        TARGET = "target", _("target indicator")

    LABELS = {
        Kind.MACRO: _("Macro indicator %(number)s. %(name)s"),
        Kind.TARGET: _("Target indicator %(number)s. %(name)s"),
    }

    plan = link(
        DevelopmentPlan, _("development plan"), related_name="indicators", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    direction = optional_link(
        StrategicDirection,
        _("strategic direction"),
        related_name="macro_indicators",
        on_delete=models.CASCADE,
    )
    goal = optional_link(
        Goal, _("goal"), related_name="target_indicators", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=1000)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    responsible_unit = optional_link(Unit, _("responsible unit"), related_name="indicators")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["kind", "number"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="macro", direction__isnull=False, goal__isnull=True)
                    | models.Q(kind="target", goal__isnull=False, direction__isnull=True)
                ),
                name="indicator_anchored_by_kind",
            ),
            models.UniqueConstraint(
                fields=["direction", "number"],
                condition=models.Q(kind="macro"),
                name="macro_indicator_number_unique",
            ),
            models.UniqueConstraint(
                fields=["goal", "number"],
                condition=models.Q(kind="target"),
                name="target_indicator_number_unique",
            ),
        ]

    def __str__(self):
        return self.LABELS[self.kind] % {"number": self.number, "name": self.name}

    @property
    def parent(self):
        return self.direction if self.kind == self.Kind.MACRO else self.goal


class IndicatorValue(Recorded):
    """The planned value of an indicator for one year of the development plan."""

    BODY_LOOKUP = "indicator__plan__body"

    indicator = link(Indicator, _("indicator"), related_name="values", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.DecimalField(_("planned value"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("planned value")
        verbose_name_plural = _("planned values")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_unique"),
        ]

    def __str__(self):
        return f"{self.year}: {self.planned.normalize()}"
