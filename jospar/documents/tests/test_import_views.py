"""The import page: upload, dry run with the problems by row and column, import."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jospar.documents import importer
from jospar.documents.tests.import_world import english_rows, workbook
from jospar.plans.models import Action, PlanStatus

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_url(world):
    plan = world["plan"]
    return reverse("documents:plan_import", args=[plan.body_id, plan.pk])


def confirm_url(world):
    plan = world["plan"]
    return reverse("documents:plan_import_confirm", args=[plan.body_id, plan.pk])


def xlsx(rows=None, name="plan.xlsx"):
    return SimpleUploadedFile(name, workbook(rows or english_rows()).getvalue(), XLSX)


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def test_the_plan_page_links_to_the_import_for_the_planner_only(client, world, planner, viewer):
    plan = world["plan"]
    client.force_login(planner)
    assert upload_url(world) in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert upload_url(world) not in client.get(plan.get_absolute_url()).content.decode()


def test_the_planner_sees_the_dry_run_then_imports(client, world, planner, file_storage):
    """The workbook waits for the confirmation in the configured storage (file system, S3)."""
    client.force_login(planner)
    assert client.get(upload_url(world)).status_code == 200
    response = client.post(upload_url(world), {"file": xlsx()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The import would create 3 actions" in page
    assert "Strategic direction 1. Water security" in page
    assert "Line 12 km of canals" in page and "by 15 March" in page
    assert not Action.objects.exists()  # a dry run writes nothing
    assert len(default_storage.listdir("imports")[1]) == 1  # the file waits in the storage

    response = client.post(confirm_url(world), {"token": token_of(response)})
    assert response.status_code == 302
    assert response["Location"] == world["plan"].get_absolute_url()
    assert Action.objects.count() == 3
    assert default_storage.listdir("imports")[1] == []  # the waiting file is gone


def test_problems_are_shown_with_row_and_column_and_no_import_button(client, world, planner):
    rows = english_rows()
    rows[9][3] = "Department of Magic"
    client.force_login(planner)
    response = client.post(upload_url(world), {"file": xlsx(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing can be imported: 1 problem in the file." in page
    assert re.search(r"<td class=\"num\">10</td><td>D</td><td>No unit of the body is called", page)
    assert 'id="import-confirm"' not in page
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "not a workbook the import reads"),
        (importer.OLE2_SIGNATURE + b"\0" * 100, "password-protected"),
    ],
)
def test_a_bad_file_is_refused_with_a_message(client, world, planner, content, message):
    client.force_login(planner)
    upload = SimpleUploadedFile("plan.xlsx", content, XLSX)
    response = client.post(upload_url(world), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_limit_is_refused_and_not_stored(client, world, planner, monkeypatch):
    monkeypatch.setattr(importer, "MAX_MB", 0)
    client.force_login(planner)

    def stored():  # what other tests of the run uploaded stays; this upload adds nothing
        if not default_storage.exists("imports"):
            return set()
        return set(default_storage.listdir("imports")[1])

    before = stored()
    response = client.post(upload_url(world), {"file": xlsx()})
    assert response.status_code == 400
    assert "larger than 0 MB" in response.content.decode()
    assert stored() == before


def test_a_plan_with_actions_is_replaced_only_when_asked(client, world, planner):
    client.force_login(planner)
    client.post(
        confirm_url(world), {"token": token_of(client.post(upload_url(world), {"file": xlsx()}))}
    )
    response = client.post(upload_url(world), {"file": xlsx()})
    assert "Replace the plan's 3 actions" in response.content.decode()
    # The dry run says up front that the import is refused without the replacement.
    page = response.content.decode()
    assert re.search(
        r'id="import-replace-notice">.*already has 3 actions: the import is refused'
        r" unless you choose to replace them",
        page,
    )
    assert re.search(r'<input type="checkbox" name="replace" required>', page)
    token = token_of(response)
    refused = client.post(confirm_url(world), {"token": token})
    assert refused.status_code == 400
    assert "already has 3 actions" in refused.content.decode()
    assert client.post(confirm_url(world), {"token": token, "replace": "on"}).status_code == 302
    assert Action.objects.count() == 3


def test_a_forged_or_foreign_token_is_refused(client, world, planner, body):
    from tests.factories import member

    client.force_login(planner)
    token = token_of(client.post(upload_url(world), {"file": xlsx()}))
    other = member(body, "planner", username="planner2")
    client.force_login(other)
    response = client.post(confirm_url(world), {"token": token})
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert client.post(confirm_url(world), {"token": "forged"}).status_code == 400
    assert not Action.objects.exists()


def test_only_a_planner_of_an_editable_plan_gets_the_page(client, world, viewer, planner):
    client.force_login(viewer)
    assert client.get(upload_url(world)).status_code == 403
    assert client.post(upload_url(world), {"file": xlsx()}).status_code == 403
    plan = world["plan"]
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    client.force_login(planner)
    response = client.get(upload_url(world))
    assert response.status_code == 403
    assert "cannot be changed" in response.content.decode()


def test_the_confirm_takes_only_a_post(client, world, planner):
    client.force_login(planner)
    assert client.get(confirm_url(world)).status_code == 405


def test_the_file_help_is_worded_in_the_language_of_the_page():
    """Regression: `gettext_lazy(...) % …` at class level fixed it in the start-up language."""
    from django.utils import translation

    from jospar.documents.apis import ImportSerializer
    from jospar.documents.import_views import UploadForm

    for help_text in (
        lambda: UploadForm().fields["file"].help_text,
        lambda: ImportSerializer().fields["file"].help_text,
    ):
        with translation.override("en"):
            english = str(help_text())
        with translation.override("ru"):
            russian = str(help_text())
        assert f"{importer.MAX_MB} MB" in english
        assert russian != english
