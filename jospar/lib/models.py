"""Abstract models that the apps' models share."""

from django.db import models
from simple_history.models import HistoricalRecords


class Recorded(models.Model):
    """A model whose every change is kept in its history table (`history`)."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

