"""`jospar import-plan`: import an operational plan from an XLSX workbook in the Appendix 1
layout, or with --dry-run only say what the import would create and what is wrong."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.importer import (
    MAX_MB,
    parse_plan_xlsx,
    plan_import,
    plan_import_check,
    plan_translate,
    translation_pairs,
)
from jospar.documents.management.base import PlanCommand, plan_for
from jospar.lib import commands
from jospar.lib.languages import HELD
from jospar.plans.models import executors_text


class Command(PlanCommand):
    help = gettext_lazy(
        "Import a body's operational plan for a year from an XLSX workbook in the Appendix 1 "
        "layout (the one Jospar exports, or typed by hand in Kazakh, Russian or English). "
        "Nothing is written unless the whole file can be imported; every problem is printed "
        "with its row and column. The plan must be a draft (or returned) and have no actions, "
        "unless --replace is given."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "file",
            help=_("the .xlsx, .xls or .ods workbook (at most %(mb)s MB)") % {"mb": MAX_MB},
        )
        commands.add_import_arguments(parser)
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("delete the draft's actions first (without it, the plan must have none)"),
        )
        parser.add_argument(
            "--translation",
            choices=HELD,
            help=_(
                "the workbook is this plan in that language (kk, ru or en): fill in the texts "
                "of the plan's actions in it, matched row by row by number and heading, instead "
                "of creating actions"
            ),
        )
        commands.add_json_argument(parser)

    def handle(
        self, *args, body, year, file, dry_run, user, replace, translation, as_json, **options
    ):
        plan = plan_for(body, year)
        actor = commands.import_actor(
            user, dry_run=dry_run, missing=_("Give --user: the planner the import is made as.")
        )
        result = commands.read_file(file, lambda handle: parse_plan_xlsx(handle, plan=plan))
        # A dry run refuses what the import would: a plan that is not a draft, or its actions.
        refusal = plan_import_check(result, plan=plan, replace=replace or bool(translation))
        if translation and result.actions:
            pairs = translation_pairs(result, plan, translation)
        self._report(result, as_json=as_json)
        if refusal:
            raise CommandError(refusal)
        if not result.ok:
            raise commands.nothing_imported(result.problems)
        if dry_run:
            if translation:
                self.stdout.write(
                    _("%(count)s actions would get their texts in %(language)s.")
                    % {"count": len(pairs), "language": translation}
                )
            (self.stderr if as_json else self.stdout).write(_("Dry run: nothing was written."))
            return
        if translation:
            self._translate(actor, plan, result, translation)
            return
        created = commands.run_import(
            lambda: plan_import(actor=actor, plan=plan, result=result, replace=replace),
            forbidden=_("%(user)s may not edit the plans of %(body)s.")
            % {"user": user, "body": body},
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(count)s actions into %(plan)s of %(body)s.")
                % {"count": len(created), "plan": plan, "body": plan.body.code}
            )
        )

    def _translate(self, actor, plan, result, language: str) -> None:
        translated = commands.run_import(
            lambda: plan_translate(actor=actor, plan=plan, result=result, language=language),
            forbidden=_("%(user)s may not edit the plans of %(body)s.")
            % {"user": actor.username, "body": plan.body.code},
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Filled in the texts in %(language)s of %(count)s actions of %(plan)s.")
                % {"language": language, "count": len(translated), "plan": plan}
            )
        )

    def _report(self, result, *, as_json: bool) -> None:
        if as_json:
            commands.write_json(self, result.as_dict())
            return
        for row in result.rows:
            if row.kind == "action":
                executors = executors_text(row.lead_unit, row.co_executors)
                self.stdout.write(
                    f"  {row.row:>5}  {row.name[:70]} | "
                    f"{', '.join(p.code for p in row.budget_programs)} | {executors} | "
                    f"{row.term_display} | {row.completion_display}"
                )
            else:
                new = f" ({_('new')})" if row.new else ""
                self.stdout.write(f"{row.row:>5}  {row.label}{new}")
        if result.signatory_position or result.signatory_name:
            self.stdout.write(
                _("Signatory: %(position)s %(name)s")
                % {"position": result.signatory_position, "name": result.signatory_name}
            )
        for note in result.notes:
            self.stdout.write(_("Note under the table: %(text)s") % {"text": note})
        self.stdout.write(_("%(count)s actions to create.") % {"count": len(result.actions)})
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(str(problem)))
