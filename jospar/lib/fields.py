"""Factories for the model fields that the apps declare alike, so each is spelled out once."""

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def link(to, verbose_name=None, *, related_name="+", on_delete=models.PROTECT, **options):
    """A required foreign key: by default it protects its target and adds no reverse accessor."""
    return models.ForeignKey(
        to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options
    )


def optional_link(to, verbose_name=None, **options):
    """A foreign key that may be empty (null in the database, blank in forms), else as link()."""
    return link(to, verbose_name, null=True, blank=True, **options)


def body_link(related_name, **options):
    """The foreign key to the state body that owns the row, which goes with the body."""
    return link(
        "orgs.StateBody",
        _("state body"),
        related_name=related_name,
        on_delete=models.CASCADE,
        **options,
    )


# The most characters a free text may hold (an entry's actual execution, a comment, a decision,
# an action's name): far above any real one, and a bound on what one request can store.
TEXT_LIMIT = 10_000


def long_text(verbose_name=None, *, limit=TEXT_LIMIT, **options):
    """A free text of at most `limit` characters and without NUL characters (which PostgreSQL
    refuses): both are validators, checked when the row is validated, so pages and the API name
    the field. (Validators only: a TextField's max_length changes nothing in the database but
    makes SQLite rebuild the table.)"""
    return models.TextField(
        verbose_name,
        validators=[MaxLengthValidator(limit), ProhibitNullCharactersValidator()],
        **options,
    )
