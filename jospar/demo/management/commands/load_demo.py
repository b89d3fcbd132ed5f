"""`jospar load_demo`: the fictional ministry that `make run` shows a newcomer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.demo.loader import load_demo
from jospar.demo.monitoring import BOARD_QUARTER
from jospar.demo.orgs import DEMO_PASSWORD, SUPERUSER, demo_logins, other_heads
from jospar.lib import commands
from jospar.lib.env import envstr


class Command(commands.Command):
    help = gettext_lazy(
        "Load a demo state body with units, users for every role, budget programs, a "
        "development plan, the operational plan for 2026 approved and monitored for three "
        "quarters, and the draft plan for 2027 with the units' proposals. Does nothing when "
        "the demo body is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete the demo body and its users, then load them afresh."),
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help=_(
                "Load the demo with DEBUG off (a training server): its users share a "
                "published password."
            ),
        )

    def handle(self, *args, reset: bool = False, not_production: bool = False, **options):
        if not settings.DEBUG and not not_production:
            raise CommandError(
                _(
                    "DEBUG is off, so this may be a production server: the demo's users share a "
                    "published password. Add --i-know-this-is-not-production to load it anyway."
                )
            )
        try:
            body, created = load_demo(reset=reset)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if created:
            self.stdout.write(
                self.style.SUCCESS(_("Loaded the demo body “%(name)s”.") % {"name": body.name})
            )
        else:
            self.stdout.write(
                _(
                    "The demo body “%(name)s” is already loaded; nothing changed "
                    "(--reset loads it afresh)."
                )
                % {"name": body.name}
            )
        base = f"http://127.0.0.1:{envstr('PORT', '8000')}"
        logins = demo_logins(body)
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(_("Open %(url)s and sign in as one of:") % {"url": f"{base}/"})
        for login in logins:
            what = str(login.role)
            if login.unit is not None:
                what = _("%(role)s, %(unit)s") % {"role": what, "unit": login.unit.name}
            if login.full_name:
                what = f"{what} — {login.full_name}"
            self.stdout.write(f"  {login.username.ljust(width)}  {what}")
        heads = other_heads(body)
        if heads:
            self.stdout.write(
                _("The heads of the other units sign in as %(logins)s.")
                % {"logins": ", ".join(heads)}
            )
        self.stdout.write(_("Password for all of them: %(password)s") % {"password": DEMO_PASSWORD})
        for plan in body.operational_plans.order_by("year"):
            self.stdout.write(
                _("The operational plan for %(year)s (%(status)s): %(url)s")
                % {
                    "year": plan.year,
                    "status": plan.get_status_display(),
                    "url": base + plan.get_absolute_url(),
                }
            )
            if plan.submissions.exists():  # it is approved and monitored
                board = reverse("monitoring:board", args=[body.pk, plan.pk, BOARD_QUARTER])
                self.stdout.write(
                    _("The monitor's board for quarter %(quarter)s of %(year)s: %(url)s")
                    % {"quarter": BOARD_QUARTER, "year": plan.year, "url": base + board}
                )
        if not settings.DEBUG:
            self.stdout.write(
                _(
                    "The superuser %(login)s has no password outside DEBUG; give it one with "
                    "`jospar changepassword %(login)s`."
                )
                % {"login": SUPERUSER}
            )
        elif any(login.username == SUPERUSER for login in logins):
            self.stdout.write(
                _("%(login)s also opens the Django admin at %(url)s")
                % {"login": SUPERUSER, "url": base + reverse("admin:index")}
            )
