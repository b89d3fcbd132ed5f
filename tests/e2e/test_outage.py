"""While the database is unreachable a person sees a short page, in the language they chose,
asking them to try again in a minute; when it is back the same address works again, without a
restart of the server."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from jospar.orgs.models import Role
from tests.factories import member


@pytest.fixture
def person(transactional_db, body):
    return member(body, Role.VIEWER, username="d.sadykova")


@contextmanager
def database_down():
    """Every statement fails, in every thread (the live server's too), as with a server that
    went away."""

    def refuse(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    with (
        mock.patch("django.db.backends.utils.CursorWrapper.execute", refuse),
        mock.patch("django.db.backends.utils.CursorWrapper.executemany", refuse),
    ):
        yield


def test_a_person_is_asked_to_try_again_in_their_language_and_then_can(page, login, person):
    login(person)
    page.locator("ul.cards").get_by_role(
        "link", name="Ministry of Water Resources"
    ).click()  # from My work
    expect(page.get_by_role("heading", name="Units")).to_be_visible()
    page.get_by_role("button", name="KK").click()
    expect(page.get_by_role("heading", name="Бөлімшелер")).to_be_visible()
    with database_down():
        response = page.reload()
        assert response.status == 503
        assert response.headers["retry-after"] == "30"
        expect(page.get_by_role("heading", name="Бір минуттан кейін қайталаңыз")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Қызмет уақытша қолжетімсіз")
    response = page.reload()
    assert response.status == 200
    expect(page.get_by_role("heading", name="Бөлімшелер")).to_be_visible()
