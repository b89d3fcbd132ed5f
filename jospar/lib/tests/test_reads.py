"""The reads on every request's path (jospar.lib.reads): the session and its user, and an API
token with its user, read in SQL written once give what Django's ORM reads give, and refuse
what it refuses."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from jospar.accounts.backends import ModelBackend
from jospar.accounts.models import ApiToken, digest
from jospar.accounts.services import token_issue, token_user
from jospar.accounts.sessions import SessionStore
from jospar.lib.reads import first_object, first_objects, row_where
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_read_so_is_the_orms():
    user = UserFactory(last_login=timezone.now(), first_name="Айгерім")
    model = get_user_model()
    fields = [field.attname for field in model._meta.concrete_fields]
    read = row_where(model, model._meta.pk.column, user.pk)
    expected = model.objects.get(pk=user.pk)
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert not read._state.adding and read._state.db == "default"
    assert row_where(model, model._meta.pk.column, user.pk + 1000) is None


def test_the_backend_gives_no_inactive_user_and_no_id_that_is_not_one():
    user = UserFactory()
    assert ModelBackend().get_user(user.pk) == user
    assert ModelBackend().get_user(str(user.pk)) == user  # as a session holds it
    assert ModelBackend().get_user("x") is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ModelBackend().get_user(user.pk) is None


def test_the_columns_after_the_models_become_attributes():
    user = UserFactory()
    model = get_user_model()
    columns = ", ".join(f'"{field.column}"' for field in model._meta.concrete_fields)
    table = model._meta.db_table
    sql = f'SELECT {columns}, 41 + 1 AS "answer" FROM "{table}" WHERE "id" = %s'  # noqa: S608
    read = first_object(model, sql, [user.pk])
    assert (read.pk, read.answer) == (user.pk, 42)
    with pytest.raises(ValueError, match="every column"):
        first_object(model, f'SELECT "id" FROM "{table}" WHERE "id" = %s', [user.pk])  # noqa: S608


def test_a_token_and_its_user_read_so_are_the_orms():
    """As ApiToken.objects.live().select_related("user") reads them; nothing for a key that is
    not one, or a token expired or revoked."""
    user = UserFactory(last_login=timezone.now(), first_name="Айгерім")
    token, key = token_issue(user=user, name="read")
    token_user(key)  # notes its first use
    read = token_user(key)
    expected = ApiToken.objects.live().select_related("user").get(digest=digest(key))
    for got, orms in ((read, expected), (read.user, expected.user)):
        fields = [field.attname for field in type(orms)._meta.concrete_fields]
        assert [getattr(got, name) for name in fields] == [getattr(orms, name) for name in fields]
        assert not got._state.adding and got._state.db == "default"
    assert token_user(key + "x") is None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert token_user(key) is None
    other, key = token_issue(user=user, name="revoked")
    ApiToken.objects.filter(pk=other.pk).update(revoked_at=timezone.now())
    assert token_user(key) is None
    model = get_user_model()
    sql = f'SELECT "id" FROM "{model._meta.db_table}" WHERE "id" = %s'  # noqa: S608
    with pytest.raises(ValueError, match="nothing else"):
        first_objects((model,), sql, [user.pk], "default")


def test_a_session_is_read_while_it_lives_and_not_after():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).get("_auth_user_id") == str(user.pk)
    assert client.get("/").wsgi_request.user == user
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    assert SessionStore("no-such-session-key").load() == {}
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_session_opened_under_djangos_backend_goes_on_after_the_upgrade():
    """The migration rewrites the backend's path in open sessions (and a pending login)."""
    migration = importlib.import_module("jospar.accounts.migrations.0002_sessions_lean_backend")
    user = UserFactory()
    client = Client()
    client.force_login(user, backend=migration.DJANGOS)
    other = SessionStore()
    other[migration.PENDING_LOGIN] = {"user": user.pk, "backend": migration.DJANGOS}
    other.save()
    assert not client.get("/").wsgi_request.user.is_authenticated  # no longer a backend
    client = Client()
    client.force_login(user, backend=migration.DJANGOS)
    migration.forwards(apps, None)
    assert client.get("/").wsgi_request.user == user
    pending = SessionStore(other.session_key)[migration.PENDING_LOGIN]
    assert pending["backend"] == migration.JOSPARS
