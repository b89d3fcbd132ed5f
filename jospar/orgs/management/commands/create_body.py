"""`jospar create-body`: create a state body and its first administrator, and print the link
at which the administrator sets a password (also e-mailed to them when e-mail is configured)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.commands import Command as BaseCommand
from jospar.lib.forms import error_text
from jospar.notifications.services import password_link_send
from jospar.orgs.models import StateBody, User
from jospar.orgs.services import body_create, password_link


class Command(BaseCommand):
    help = gettext_lazy(
        "Create a state body and its first administrator, who sets a password at the link "
        "printed here (and e-mailed to them when e-mail is configured). Nothing is written "
        "when anything given is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help=_("the body's code, e.g. MWR"))
        parser.add_argument("--name-kk", default="", help=_("the body's name in Kazakh"))
        parser.add_argument("--name-ru", default="", help=_("the body's name in Russian"))
        parser.add_argument("--name-en", default="", help=_("the body's name in English"))
        parser.add_argument(
            "--budget-administrator-code", default="", help=_("three digits, e.g. 217")
        )
        parser.add_argument(
            "--admin-name", required=True, help=_("the administrator's surname, name, patronymic")
        )
        parser.add_argument("--admin-email", required=True, help=_("the administrator's e-mail"))
        parser.add_argument(
            "--admin-login", default="", help=_("the administrator's login (default: the e-mail)")
        )
        parser.add_argument(
            "--user",
            help=_(
                "the username the body is created as (an installation administrator or a "
                "superuser); the history records them. Default: the first active superuser"
            ),
        )

    def handle(self, *args, user, code, **options):
        actor = self._actor(user)
        fields = {
            "code": code,
            "budget_administrator_code": options["budget_administrator_code"],
            "admin_name": options["admin_name"],
            "admin_email": options["admin_email"],
            "admin_login": options["admin_login"],
        }
        for language in ("kk", "ru", "en"):
            if options[f"name_{language}"]:
                fields[f"name_{language}"] = options[f"name_{language}"]
        try:
            with transaction.atomic():
                body, admin = body_create(actor=actor, **fields)
                link = password_link(admin)
                sent = password_link_send(user=admin, link=link, body=body)
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not create state bodies.") % {"user": actor.username}
            ) from None
        except ValidationError as error:
            raise CommandError("\n".join(error_text(error, StateBody))) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(body)s (%(code)s) and its administrator %(login)s.")
                % {"body": body, "code": body.code, "login": admin.username}
            )
        )
        if sent:
            self.stdout.write(
                _("The link to set a password was e-mailed to %(email)s.") % {"email": admin.email}
            )
        self.stdout.write(_("Link to set the password: %(link)s") % {"link": link})

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user is called “%(name)s”.") % {"name": username})
            return actor
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError(
                _("There is no superuser: create one (jospar createsuperuser) or give --user.")
            )
        return actor
