"""The page "My work" (the home page), the count in every page's header and the API's
`GET /api/v1/my-work/`: an executor of one unit, then of twelve, of an approved 2027 plan in
which each unit leads an action due in the 2nd quarter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.inbox.selectors import Kind, my_work
from jospar.orgs.models import Role
from tests.factories import RoleFactory, UnitFactory, member
from tests.worlds import approved_plan_of_size

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(body, clock):
    units = [UnitFactory(body=body, code=f"U{n}", name=f"Unit {n:02}") for n in range(12)]
    clock("2027-01-05")
    plan, _indicator = approved_plan_of_size(units, 1)
    clock("2027-05-15")
    executor = member(body, Role.EXECUTOR, unit=units[0], username="inbox-executor")
    return plan, units, executor


def test_the_home_page_is_my_work_with_links_and_days_left(client, body, setting):
    plan, units, executor = setting
    client.force_login(executor)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = reverse("monitoring:submission", args=[body.pk, plan.pk, 2, units[0].pk])
    assert f'href="{url}"' in page
    assert "10.07.2027" in page and "56 days left" in page
    assert f'href="{body.get_absolute_url()}"' in page  # the body is still one click away
    assert 'id="my-work-count">1<' in page


def test_every_page_loads_the_header_count_once_shown(client, body, setting):
    _plan, units, executor = setting
    client.force_login(executor)
    page = client.get(body.get_absolute_url()).content.decode()
    assert f'hx-get="{reverse("my_work_count")}"' in page
    assert 'id="my-work-count"' not in page  # not paid for in the page's own queries
    count = client.get(reverse("my_work_count")).content.decode()
    assert 'id="my-work-count">1<' in count
    RoleFactory(user=executor, body=body, role=Role.EXECUTOR, unit=units[1])
    assert 'id="my-work-count">2<' in client.get(reverse("my_work_count")).content.decode()


def test_nothing_waiting_shows_no_count(client, body, viewer):
    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="my-work-count"' not in page
    assert 'id="nothing-waits"' in page
    assert client.get(reverse("my_work_count")).content.decode().strip() == ""


@pytest.mark.parametrize("name", ["my_work_count", "notifications:count"])
def test_a_count_without_a_login_is_empty_not_the_login_page(client, name):
    # Loaded by a page whose session has ended: htmx swaps nothing for a 204, and no CSRF
    # cookie is set under a login form open in the same browser.
    response = client.get(reverse(name))
    assert response.status_code == 204 and not response.content
    assert "csrftoken" not in response.cookies


def test_the_page_makes_as_many_queries_for_twelve_items_as_for_one(
    client, body, setting, django_assert_max_num_queries
):
    _plan, units, executor = setting
    client.force_login(executor)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="item-information') == 1
    with CaptureQueriesContext(connection) as few_count:
        client.get(reverse("my_work_count"))
    for unit in units[1:]:
        RoleFactory(user=executor, body=body, role=Role.EXECUTOR, unit=unit)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("home"))
    page = response.content.decode()
    assert page.count('class="item-information') == 12
    assert 'id="my-work-count">12<' in page
    with django_assert_max_num_queries(len(few_count)):
        count = client.get(reverse("my_work_count")).content.decode()
    assert 'id="my-work-count">12<' in count


def test_the_api_gives_the_same_list(api, body, setting):
    plan, units, executor = setting
    response = api(executor).get("/api/v1/my-work/")
    assert response.status_code == 200
    [item] = response.json()
    expected = my_work(executor)[0]
    assert item == {
        "kind": Kind.INFORMATION,
        "role": "executor",
        "body": body.pk,
        "body_name": str(body),
        "title": expected.title,
        "url": reverse("monitoring:submission", args=[body.pk, plan.pk, 2, units[0].pk]),
        "deadline": "2027-07-10",
        "days_left": 56,
        "days_late": 0,
        "count": 1,
    }


def test_the_api_asks_for_a_login(api):
    assert api().get("/api/v1/my-work/").status_code in (401, 403)
