"""Every response carries the Content-Security-Policy: the site's pages, the admin, the API and
its docs. The docs page alone adds data: images (Swagger UI's icons) and loads its start-up
script from itself, not inline."""

import re
from pathlib import Path

import pytest
from django.test import Client

import jospar
from jospar.orgs.models import Role
from tests.factories import OperationalPlanFactory, UserFactory, member

POLICY = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def assert_site_policy(response, **loosened):
    policy = directives(response)
    assert policy == {**POLICY, **loosened}, response.request["PATH_INFO"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources


@pytest.fixture
def client_of():
    def client_for(user=None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_policy(client_of, body):
    plan = OperationalPlanFactory(body=body)
    planner = member(body, Role.PLANNER, username="csp.planner")
    root = UserFactory(is_superuser=True, is_staff=True)
    pages = [
        (client_of(), "/accounts/login/", 200),
        (client_of(), "/", 302),  # the redirect to the login page too
        (client_of(planner), "/", 200),  # My work
        (client_of(planner), body.get_absolute_url(), 200),
        (client_of(planner), plan.get_absolute_url(), 200),
        (client_of(planner), "/api/v1/bodies/", 200),
        (client_of(root), "/admin/", 200),
        (client_of(root), "/admin/plans/operationalplan/", 200),
        (client_of(root), f"/admin/plans/operationalplan/{plan.pk}/change/", 200),
        (client_of(root), f"/admin/plans/operationalplan/{plan.pk}/history/", 200),
    ]
    for client, path, status in pages:
        response = client.get(path)
        assert response.status_code == status, path
        assert_site_policy(response)


@pytest.mark.django_db
def test_the_csrf_failure_page_is_the_sites_own():
    """Django's own CSRF failure page styles itself inline; 403_csrf.html replaces it."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_site_policy(response)
    page = response.content.decode()
    assert "The form could not be sent" in page
    assert "<style" not in page


@pytest.mark.django_db
def test_the_browsable_api_styles_its_highlighting_with_the_nonce(client_of, viewer):
    response = client_of(viewer).get("/api/v1/bodies/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response)
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["style-src"])).group(1)
    assert policy == {**POLICY, "style-src": ["'self'", f"'nonce-{nonce}'"]}
    page = response.content.decode()
    assert f'<style nonce="{nonce}">' in page
    assert " style=" not in page


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_themselves(client_of, viewer):
    client = client_of(viewer)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert_site_policy(response, **{"img-src": ["'self'", "data:"]})
    page = response.content.decode()
    assert "<script>" not in page
    assert "<style>" not in page
    assert 'src="/api/v1/docs/?script=' in page

    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_no_template_has_an_inline_script_handler_or_style():
    """The policy would block them; the templates declare behaviour with data attributes."""
    templates = Path(jospar.__file__).parent / "templates"
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style(?![^>]*\bnonce=)", re.I
    )
    found = []
    for template in templates.rglob("*.html"):
        found += [f"{template.name}: {m.group(0)}" for m in inline.finditer(template.read_text())]
    assert found == []
