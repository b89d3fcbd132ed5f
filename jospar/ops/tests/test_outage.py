"""While the database is unreachable: the API answers 503 JSON with Retry-After, pages a short
"try again in a minute" page in the reader's language, rendered without the database; and the
next request after the database is back is served as usual."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from jospar.accounts.services import token_issue
from jospar.ops.outage import DatabaseOutageMiddleware, server_error
from jospar.ops.tests.faults import database_down

pytestmark = pytest.mark.django_db


def test_the_api_answers_503_json_with_retry_after(body, viewer):
    _token, key = token_issue(user=viewer, name="client")
    client = APIClient(
        HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="ru", raise_request_exception=False
    )
    url = f"/api/v1/bodies/{body.pk}/"
    with database_down():
        response = client.get(url)
        write = client.patch(url, {"name": "x"}, format="json")
    for answer in (response, write):
        assert answer.status_code == 503
        assert answer["Content-Type"] == "application/json"
        assert answer["Retry-After"] == "30"
        assert answer.json() == {
            "detail": "Сервис ненадолго недоступен. Повторите попытку через минуту."
        }
    assert client.get(url).status_code == 200  # back without a restart


def test_a_session_api_client_gets_the_same(body, viewer):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(viewer)  # the session is read by a middleware, before any view
    with database_down():
        response = client.get("/api/v1/bodies/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Try again in a minute"),
        ("ru", "Повторите попытку через минуту"),
        ("kk", "Бір минуттан кейін қайталаңыз"),
    ],
)
def test_a_page_answers_a_short_page_in_the_readers_language(body, planner, language, text):
    # The test client would raise the error Django handled; a browser gets the answer.
    browser = Client(raise_request_exception=False)
    browser.force_login(planner)
    browser.cookies["django_language"] = language
    with database_down():  # nothing of the page may read the database (it would fail)
        response = browser.get(body.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert text in page
    assert "Traceback" not in page and "planner" not in page
    assert browser.get(body.get_absolute_url()).status_code == 200


def test_a_views_error_or_one_raised_from_it_is_a_503_and_another_error_is_not():
    request = RequestFactory(HTTP_ACCEPT_LANGUAGE="en").get("/bodies/1/")
    middleware = DatabaseOutageMiddleware(lambda request: None)
    lost = InterfaceError("connection already closed")
    try:
        try:
            raise lost
        except InterfaceError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as wrapped:
        chained = wrapped
    for error in (lost, chained):
        response = middleware.process_exception(request, error)
        assert response.status_code == 503
        assert "Try again in a minute" in response.content.decode()
    assert middleware.process_exception(request, ValueError("a bug")) is None
    # Django's 500 handler: the outage's answer only while handling the database's error.
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        assert server_error(request).status_code == 503
    assert server_error(request).status_code == 500
