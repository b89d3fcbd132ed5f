import datetime as dt

import pytest
from django.urls import reverse

from jospar.orgs.models import Role, Unit, User
from tests.factories import DecisionFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


def test_login_is_required(client, body):
    response = client.get(reverse("orgs:body", args=[body.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_home_is_my_work_and_links_a_member_of_one_body_to_it(client, body, viewer):
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'href="{body.get_absolute_url()}"' in response.content.decode()


def test_home_lists_several_bodies(client, body, other_body, viewer):
    member(other_body, Role.VIEWER).delete()
    from tests.factories import RoleFactory

    RoleFactory(user=viewer, body=other_body, role=Role.VIEWER)
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert body.name in response.content.decode()
    assert other_body.name in response.content.decode()


def test_body_page_shows_the_unit_tree_with_heads(client, body, viewer, unit):
    UnitFactory(body=body, parent=unit, name="Division of monitoring", head_name="Bekova Zh.")
    client.force_login(viewer)
    response = client.get(reverse("orgs:body", args=[body.pk]))
    page = response.content.decode()
    assert "Division of monitoring" in page
    assert "Bekova Zh." in page
    assert 'data-depth="1"' in page
    assert reverse("orgs:unit_new", args=[body.pk]) not in page


def test_admin_adds_a_unit_through_the_page(client, body, admin_user, unit):
    client.force_login(admin_user)
    url = reverse("orgs:unit_new", args=[body.pk])
    response = client.post(
        url,
        {
            "parent": unit.pk,
            "kind": "structural",
            "code": "D2",
            "name": "Finance department",
            "head_name": "Abenov K.",
            "order": 2,
        },
    )
    assert response.status_code == 302
    created = Unit.objects.get(code="D2")
    assert created.parent == unit
    assert created.history.get().history_user == admin_user


def test_a_duplicate_code_is_shown_on_the_field_and_nothing_changes(client, body, admin_user, unit):
    client.force_login(admin_user)
    response = client.post(
        reverse("orgs:unit_new", args=[body.pk]),
        {"kind": "structural", "code": unit.code, "name": "Copy", "head_name": "X", "order": 0},
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert Unit.objects.filter(body=body).count() == 1


def test_a_planner_may_not_manage_units(client, body, planner, unit):
    client.force_login(planner)
    assert client.get(reverse("orgs:unit_new", args=[body.pk])).status_code == 403
    response = client.post(reverse("orgs:unit_delete", args=[body.pk, unit.pk]))
    assert response.status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_admin_adds_a_user_with_a_role(client, body, admin_user, unit):
    client.force_login(admin_user)
    response = client.post(
        reverse("orgs:member_new", args=[body.pk]),
        {
            "username": "d.omarova",
            "last_name": "Omarova",
            "first_name": "Dana",
            "password": "Irrigation-2026!",
            "role": Role.UNIT_HEAD,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="d.omarova")
    assert user.roles.get().role == Role.UNIT_HEAD
    page = client.get(reverse("orgs:members", args=[body.pk])).content.decode()
    assert "Omarova Dana" in page


def test_a_weak_password_is_refused(client, body, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("orgs:member_new", args=[body.pk]),
        {"username": "weak", "password": "123", "role": Role.VIEWER},
    )
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_history_page_shows_who_changed_what(client, body, admin_user, unit):
    client.force_login(admin_user)
    client.post(
        reverse("orgs:unit_edit", args=[body.pk, unit.pk]),
        {
            "kind": "structural",
            "code": unit.code,
            "name": "Renamed department",
            "head_name": unit.head_name,
            "order": 0,
        },
    )
    response = client.get(reverse("orgs:history", args=[body.pk, "orgs.unit", unit.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Renamed department" in page
    assert str(admin_user) in page


def test_history_values_read_in_the_readers_language(client, body, admin_user):
    """Yes/no, statuses by their labels, dates as dd.mm.yyyy and related objects by name,
    in Russian: never "False → True" or "open → done"."""
    body.is_demo = False
    body.save()
    body.is_demo = True
    body.save()
    decision = DecisionFactory(report__plan__body=body)
    decision.status = "done"
    decision.due_on = dt.date(2026, 9, 15)
    decision.closed_on = dt.date(2026, 9, 10)
    decision.save()
    client.force_login(admin_user)

    def page(label, pk):
        url = reverse("orgs:history", args=[body.pk, label, pk])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 200
        return " ".join(response.content.decode().split())

    html = page("orgs.statebody", body.pk)
    assert "<del>нет</del> → <ins>да</ins>" in html
    assert "False" not in html and "True" not in html
    html = page("reports.decision", decision.pk)
    assert "<del>открыто</del> → <ins>исполнено</ins>" in html
    assert "<del>01.09.2026</del> → <ins>15.09.2026</ins>" in html
    assert "<ins>10.09.2026</ins>" in html and "2026-09" not in html
    assert f"<ins>{decision.decided_by}</ins>" in html  # the official, by name


def test_history_of_an_unknown_model_is_404(client, body, viewer):
    client.force_login(viewer)
    url = reverse("orgs:history", args=[body.pk, "auth.permission", 1])
    assert client.get(url).status_code == 404


def test_the_language_switch_changes_the_interface(client, body, viewer):
    client.force_login(viewer)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    page = client.get(reverse("orgs:body", args=[body.pk])).content.decode()
    assert "Подразделения" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("orgs:body", args=[body.pk])).content.decode()
    assert "Units" in page
