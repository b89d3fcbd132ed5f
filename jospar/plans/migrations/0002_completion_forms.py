from django.db import migrations

from jospar.plans.reference import COMPLETION_FORMS


def add_forms(apps, schema_editor):
    CompletionForm = apps.get_model("plans", "CompletionForm")
    for order, name in enumerate(COMPLETION_FORMS, start=1):
        CompletionForm.objects.get_or_create(body=None, name=name, defaults={"order": order})


def remove_forms(apps, schema_editor):
    apps.get_model("plans", "CompletionForm").objects.filter(
        body=None, name__in=COMPLETION_FORMS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(add_forms, remove_forms)]
