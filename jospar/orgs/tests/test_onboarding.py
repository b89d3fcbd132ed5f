"""A new state body and its first administrator: the service, the page, the API and
`jospar create-body`; who may do it; the link to set a password."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from jospar.notifications.models import OutgoingEmail
from jospar.notifications.services import outbox_send_due
from jospar.orgs.models import Role, RoleAssignment, StateBody, User
from jospar.orgs.services import body_create, may_create_bodies
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = {
    "code": "MEN",
    "name_ru": "Министерство энергетики",
    "name_kk": "Энергетика министрлігі",
    "budget_administrator_code": "241",
    "admin_name": "Сейткали Айгерим Нурлановна",
    "admin_email": "a.seitkali@energo.gov.kz",
}
CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.fixture
def installer(db):
    """An installation administrator: no role in any body, the permission to add bodies."""
    user = UserFactory(username="installer")
    user.user_permissions.add(Permission.objects.get(codename="add_statebody"))
    return User.objects.get(pk=user.pk)  # the permission cache is fresh


def test_the_service_creates_the_body_its_administrator_and_their_role(installer):
    body, admin = body_create(actor=installer, **NEW)
    assert body.name_ru == NEW["name_ru"] and body.name_kk == NEW["name_kk"]
    assert body.budget_administrator_code == "241"
    assert admin.username == admin.email == "a.seitkali@energo.gov.kz"
    assert (admin.last_name, admin.first_name, admin.patronymic) == (
        "Сейткали",
        "Айгерим",
        "Нурлановна",
    )
    assert not admin.has_usable_password()
    role = RoleAssignment.objects.get(user=admin)
    assert (role.body, role.role, role.unit) == (body, Role.ADMINISTRATOR, None)
    # each leaves its history row, by the installation administrator
    for obj in (body, admin, role):
        record = obj.history.get()
        assert (record.history_type, record.history_user) == ("+", installer)


def test_a_given_login_is_kept(installer):
    _body, admin = body_create(actor=installer, **NEW, admin_login="aseitkali")
    assert admin.username == "aseitkali"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "M E N"}, "code", "letters, digits"),
        ({"budget_administrator_code": "24"}, "budget_administrator_code", "Three digits"),
        ({"admin_email": "not-an-address"}, "admin_email", "not an e-mail address"),
        ({"admin_name": "  "}, "admin_name", "full name"),
        ({"name_ru": "", "name_kk": ""}, "name", "at least one language"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(installer, change, field, message):
    with pytest.raises(ValidationError) as caught:
        body_create(actor=installer, **(NEW | change))
    assert message in " ".join(caught.value.message_dict[field])
    assert not StateBody.objects.filter(code__in=["MEN", "M E N"]).exists()
    assert not User.objects.filter(email=NEW["admin_email"]).exists()


def test_a_taken_code_or_login_is_refused(installer, body):
    with pytest.raises(ValidationError) as caught:
        body_create(actor=installer, **(NEW | {"code": body.code}))
    assert "code" in caught.value.message_dict
    UserFactory(username=NEW["admin_email"])
    with pytest.raises(ValidationError) as caught:
        body_create(actor=installer, **NEW)
    assert "This login is taken." in caught.value.message_dict["admin_login"]
    assert not StateBody.objects.filter(code="MEN").exists()


def test_who_may_create_bodies(installer, admin_user, outsider, planner):
    superuser = UserFactory(is_superuser=True)
    assert may_create_bodies(installer) and may_create_bodies(superuser)
    for user in (admin_user, outsider, planner):  # a body's administrator is not one
        assert not may_create_bodies(user)
        with pytest.raises(PermissionDenied):
            body_create(actor=user, **NEW)
    assert not StateBody.objects.filter(code="MEN").exists()


def test_the_page_creates_the_body_and_shows_the_link_without_email(client, installer, settings):
    settings.EMAIL_BACKEND = CONSOLE
    client.force_login(installer)
    assert client.get(reverse("orgs:body_new")).status_code == 200
    response = client.post(reverse("orgs:body_new"), NEW)
    assert response.status_code == 201, response.content.decode()
    link = re.search(r'id="set-password-link" value="([^"]+)"', response.content.decode())[1]
    assert not OutgoingEmail.objects.exists()
    # the new administrator sets a password at the link and logs in
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    answer = client.get("/" + path, follow=True)
    assert answer.status_code == 200 and "Set your password" in answer.content.decode()
    form_url = answer.redirect_chain[-1][0] if answer.redirect_chain else "/" + path
    answer = client.post(
        form_url,
        {"new_password1": "Zhana-Kupiya-2026", "new_password2": "Zhana-Kupiya-2026"},
    )
    assert answer.status_code == 302
    logged_in = client.post(
        reverse("login"), {"username": NEW["admin_email"], "password": "Zhana-Kupiya-2026"}
    )
    assert logged_in.status_code == 302
    # the link works once
    client.logout()
    used = client.get("/" + path, follow=True)
    assert used.status_code == 404 and "does not work" in used.content.decode()


def test_the_page_emails_the_link_when_email_is_configured(client, installer, smtp):
    client.force_login(installer)
    response = client.post(reverse("orgs:body_new"), NEW)
    assert response.status_code == 201
    assert 'id="set-password-link"' not in response.content.decode()
    email = OutgoingEmail.objects.get()
    assert email.address == NEW["admin_email"]
    assert "https://jospar.example.kz/accounts/set-password/" in email.text
    outbox_send_due()  # the worker's pass
    [(recipients, message)] = smtp.messages
    assert recipients == [NEW["admin_email"]]
    assert "/accounts/set-password/" in message.get_body(("plain",)).get_content()


def test_the_page_shows_bad_input_and_writes_nothing(client, installer):
    client.force_login(installer)
    response = client.post(reverse("orgs:body_new"), NEW | {"budget_administrator_code": "2x"})
    assert response.status_code == 400
    assert "Three digits" in response.content.decode()
    assert not StateBody.objects.filter(code="MEN").exists()


def test_the_page_is_refused_to_a_body_administrator(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("orgs:body_new")).status_code == 403
    assert client.post(reverse("orgs:body_new"), NEW).status_code == 403
    assert not StateBody.objects.filter(code="MEN").exists()


def test_the_api_creates_a_body(api, installer, settings):
    settings.EMAIL_BACKEND = CONSOLE
    response = api(installer).post("/api/v1/bodies/", NEW, format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["code"] == "MEN" and answer["link_sent"] is False
    assert "/accounts/set-password/" in answer["set_password_link"]
    assert User.objects.get(pk=answer["administrator"]).roles.get().role == Role.ADMINISTRATOR


def test_the_api_names_bad_input_and_refuses_others(api, installer, admin_user):
    response = api(installer).post(
        "/api/v1/bodies/", NEW | {"admin_email": "nobody"}, format="json"
    )
    assert response.status_code == 400
    assert "admin_email" in response.json()
    assert api(admin_user).post("/api/v1/bodies/", NEW, format="json").status_code == 403
    assert not StateBody.objects.filter(code="MEN").exists()


def _create_body(*args):
    out, err = StringIO(), StringIO()
    call_command("create_body", *args, stdout=out, stderr=err)
    return out.getvalue()


ARGS = [
    "--code=MEN",
    "--name-ru=Министерство энергетики",
    "--name-kk=Энергетика министрлігі",
    "--budget-administrator-code=241",
    "--admin-name=Сейткали Айгерим Нурлановна",
    "--admin-email=a.seitkali@energo.gov.kz",
]


def test_the_command_creates_a_body_and_prints_the_link(installer, settings):
    settings.EMAIL_BACKEND = CONSOLE
    out = _create_body(*ARGS, "--user=installer")
    assert "Created" in out and "a.seitkali@energo.gov.kz" in out
    assert "/accounts/set-password/" in out
    body = StateBody.objects.get(code="MEN")
    assert body.roles.get().user.email == "a.seitkali@energo.gov.kz"


def test_the_command_refuses_bad_input_with_a_message(installer):
    with pytest.raises(CommandError, match="Three digits"):
        _create_body(*ARGS[:3], "--budget-administrator-code=2", *ARGS[4:], "--user=installer")
    with pytest.raises(CommandError, match="may not create"):
        UserFactory(username="nobody")
        _create_body(*ARGS, "--user=nobody")
    assert not StateBody.objects.filter(code="MEN").exists()
    assert not User.objects.filter(email="a.seitkali@energo.gov.kz").exists()


def test_a_person_imported_without_a_password_gets_a_link_to_set_one(
    client, body, admin_user, planner, other_body
):
    """People from the spreadsheet have no password: the administrator's page of users gives
    the link at which each sets one; not for a person who has a password, nor for one who also
    works for another body, nor to anyone but the body's administrator."""
    from tests.factories import member

    newcomer = member(body, Role.PLANNER, username="k.omar@energo.gov.kz")
    newcomer.set_unusable_password()
    newcomer.save()
    shared = member(body, Role.EXECUTOR, username="shared")
    shared.set_unusable_password()
    shared.save()
    RoleAssignment.objects.create(user=shared, body=other_body, role=Role.VIEWER)

    def url(user):
        return reverse("orgs:member_password_link", args=[body.pk, user.pk])

    client.force_login(admin_user)
    members = client.get(reverse("orgs:members", args=[body.pk])).content.decode()
    assert url(newcomer) in members and url(planner) not in members
    assert client.get(url(newcomer)).status_code == 405  # a POST only
    response = client.post(url(newcomer))
    assert response.status_code == 200
    link = re.search(r'id="set-password-link" value="([^"]+)"', response.content.decode())[1]
    for refused in (planner, shared):  # a password already; another body's too
        answer = client.post(url(refused), follow=True)
        assert 'id="set-password-link"' not in answer.content.decode()
        assert answer.redirect_chain[-1][0] == reverse("orgs:members", args=[body.pk])
    client.force_login(planner)
    assert client.post(url(newcomer)).status_code == 403

    # the person sets a password at the link and logs in
    client.logout()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    answer = client.get(path, follow=True)
    assert "Set your password" in answer.content.decode()
    posted = client.post(
        answer.redirect_chain[-1][0],
        {"new_password1": "Zhana-Kupiya-2026", "new_password2": "Zhana-Kupiya-2026"},
    )
    assert posted.status_code == 302
    logged_in = client.post(
        reverse("login"), {"username": "k.omar@energo.gov.kz", "password": "Zhana-Kupiya-2026"}
    )
    assert logged_in.status_code == 302
