"""Abstract models that the apps' models share."""

from django.db import models
from simple_history.models import HistoricalRecords


class Recorded(models.Model):
    """A model whose every change is kept in its history table (`history`)."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class Numbered(Recorded):
    """A named row numbered within its parent (a task, a direction, a goal), ordered by number and
    shown as its LABEL, a message with %(number)s or %(code)s and %(name)s."""

    LABEL = "%(number)s. %(name)s"

    class Meta:
        abstract = True
        ordering = ["number"]

    def __str__(self):
        return self.LABEL % {"number": self.number, "code": self.code, "name": self.name}

    @property
    def code(self) -> str:
        """The number as people cite it."""
        return str(self.number)
