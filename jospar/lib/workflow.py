"""Status workflows written as tables: each step names the statuses it starts from, the status
it leads to, the permission it takes and the event it records. The plan's approval and a
unit's quarterly information are both such tables; this module applies them."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from jospar.orgs.policy import Perm, can, require


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    perm: Perm
    event: str


def allowed_steps(user, obj: Model, steps: dict[str, Step]) -> list[str]:
    """The steps this user may take on the object now (the buttons a page shows)."""
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
