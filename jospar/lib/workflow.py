"""Status workflows written as tables: each step names the statuses it starts from, the status
it leads to, the permission it takes and the event it records. The plan's approval, a unit's
quarterly information and the quarterly report are such tables; this module applies them, and
StepEvent is what a recorded step of any of them holds."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.fields import long_text
from jospar.lib.records import check_fields, save_record
from jospar.orgs.policy import Perm, can, require


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str | None  # None: the step keeps the status (editing, deciding on the object …)
    perm: Perm
    event: str = ""


def allowed_steps(user, obj: Model, steps: dict[str, Step]) -> list[str]:
    """The steps this user may take on the object now. A page gets them from its view and
    shows a button or a form for a step only if the step is in the list, so that a template
    never repeats a guard of the services."""
    return [
        name
        for name, step in steps.items()
        if obj.status in step.sources and can(user, step.perm, obj)
    ]


def begin_step(actor, obj: Model, steps: dict[str, Step], name: str) -> tuple[Model, Step]:
    """Check the actor's permission, lock the object's row and check the step is possible from
    its current status. Returns the locked object (status not yet changed) and the step."""
    step = steps[name]
    require(actor, step.perm, obj)
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if locked.status not in step.sources:
        raise ValidationError(
            _("It is %(status)s; this step is not possible now.")
            % {"status": locked.get_status_display()}
        )
    return locked, step


def required_text(field: str, text: str | None, missing: str) -> str:
    """The text a step requires (a comment, a reason), stripped; a blank one refuses the step
    with `missing` under `field`."""
    stripped = (text or "").strip()
    if not stripped:
        raise ValidationError({field: missing})
    return stripped


def take_step(
    actor, obj: Model, steps: dict[str, Step], name: str, comment: str = "", before_save=None
) -> Model:
    """Take a step of a workflow whose events are `obj.events` (a StepEvent): check it as
    begin_step does, move the object to the step's status, save it with its history and record
    the event. `before_save(locked, step)` may change the object first and returns the event's
    own fields, if any."""
    if steps[name].target is None:
        raise ValueError(f"{name} keeps the status: it is not a step to take")
    check_fields(obj.events.model, comment=comment)  # before the lock: nothing to undo
    obj, step = begin_step(actor, obj, steps, name)
    event_fields = before_save(obj, step) if before_save else None
    obj.status = step.target
    save_record(obj, actor=actor)
    obj.events.create(kind=step.event, actor=actor, comment=comment, **(event_fields or {}))
    return obj


class StepEvent(models.Model):
    """A step taken, as its workflow records it: which step (`kind`, declared by each workflow
    with its own choices), who took it, when, and the comment given with it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("performed by"),
    )
    at = models.DateTimeField(gettext_lazy("date and time"), auto_now_add=True)
    comment = long_text(gettext_lazy("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y}"
