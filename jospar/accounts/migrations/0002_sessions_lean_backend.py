"""Sessions opened under Django's ModelBackend go on under Jospar's (jospar.accounts.backends:
the same backend with a leaner read of the user), instead of ending at the upgrade: the
backend's path kept in each session, and in a half-done two-factor login, is rewritten."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

DJANGOS = "django.contrib.auth.backends.ModelBackend"
JOSPARS = "jospar.accounts.backends.ModelBackend"
PENDING_LOGIN = "jospar.two_factor_login"  # jospar.accounts.views.PENDING_LOGIN


def rewrite(apps, old: str, new: str) -> None:
    Session = apps.get_model("sessions", "Session")
    codec = SessionStore()  # encode() and decode() only: signed with SECRET_KEY
    for session in Session.objects.iterator():
        data = codec.decode(session.session_data)  # {} for one this key did not sign
        changed = False
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY], changed = new, True
        pending = data.get(PENDING_LOGIN)
        if isinstance(pending, dict) and pending.get("backend") == old:
            pending["backend"], changed = new, True
        if changed:
            session.session_data = codec.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor):
    rewrite(apps, DJANGOS, JOSPARS)


def backwards(apps, schema_editor):
    rewrite(apps, JOSPARS, DJANGOS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
