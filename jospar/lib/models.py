"""Abstract models that the apps' models share."""

import contextlib
import contextvars
import functools

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class _HistoryManager(HistoryManager):
    """simple-history's manager, whose class is made once per queryset class: simple-history
    asks for it on every access to `history`, each save's history row included, and Django's
    `from_queryset` builds a new class each time (0.1 to 0.3 ms per save)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


def change_history(**options) -> HistoricalRecords:
    """The history of a model (simple-history's `HistoricalRecords`) with the manager above."""
    return HistoricalRecords(history_manager=_HistoryManager, **options)


class Recorded(models.Model):
    """A model whose every change is kept in its history table (`history`)."""

    history = change_history(inherit=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record that several people edit: `version` counts the saves of its content, and a
    save that started from an older one is a conflict (jospar.lib.records.next_version), not
    an overwrite."""

    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        abstract = True


class Numbered(Recorded):
    """A named row numbered within its parent (a task, a direction, a goal), ordered by number and
    shown as its LABEL, a message with %(number)s or %(code)s and %(name)s."""

    # held in each language (jospar/translation.py)
    TEXTS = ("name",)

    LABEL = "%(number)s. %(name)s"

    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=1000)

    class Meta:
        abstract = True
        ordering = ["number"]

    def __str__(self):
        return self.LABEL % {"number": self.number, "code": self.code, "name": self.name}

    @property
    def code(self) -> str:
        """The number as people cite it."""
        return str(self.number)


class LockedError(Exception):
    """A row was about to change while what holds it is closed (a submitted or accepted
    quarter, an approved plan): only the services change such rows, after reopening."""


_unguarded = contextvars.ContextVar("unguarded", default=False)


@contextlib.contextmanager
def unguarded():
    """Let the demo's reset delete closed rows one by one, with their history."""
    token = _unguarded.set(True)
    try:
        yield
    finally:
        _unguarded.reset(token)


class GuardedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        self.model.refuse_if_locked(self)
        return super().update(**kwargs)

    def delete(self):
        self.model.refuse_if_locked(self)
        return super().delete()


class Guarded(models.Model):
    """A row that changes only while what holds it is open. HOLDER names the foreign key
    to the holder and OPEN the lookup that the holder satisfies while open; a save, delete,
    queryset update or delete of a row whose holder is closed raises LockedError, whoever
    calls it (the services refuse first, with a message; this is the last line)."""

    HOLDER: str
    OPEN: dict

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    @classmethod
    def closed_holders(cls):
        holder = cls._meta.get_field(cls.HOLDER).related_model
        return holder._default_manager.exclude(**cls.OPEN)

    @classmethod
    def refuse_if_locked(cls, rows) -> None:
        if _unguarded.get():
            return
        if rows.filter(**{f"{cls.HOLDER}__in": cls.closed_holders()}).exists():
            raise LockedError(f"{cls._meta.verbose_name}: its {cls.HOLDER} is closed")

    def _refuse_if_locked(self) -> None:
        holder_id = getattr(self, f"{self.HOLDER}_id")
        if not _unguarded.get() and self.closed_holders().filter(pk=holder_id).exists():
            raise LockedError(f"{self._meta.verbose_name}: its {self.HOLDER} is closed")
