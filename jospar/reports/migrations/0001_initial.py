"""The quarterly report's models move here from `monitoring` (state only): their tables keep the
names they had, so every report, row, recommendation, decision and their history stay where
they are. The content types follow, so that permissions keep pointing at them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = [
    "report",
    "reportrow",
    "amendmentrecommendation",
    "decision",
    "decisionprogress",
    "historicalreport",
    "historicalreportrow",
    "historicalamendmentrecommendation",
    "historicaldecision",
]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=new).values_list("model", flat=True))
    content_type.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "monitoring", "reports")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "reports", "monitoring")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('monitoring', '0006_report_row_executed_earlier'),
        ('orgs', '0001_initial'),
        ('plans', '0002_completion_forms'),
        ('strategy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Decision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('effectiveness', 'improve the effectiveness of the planned measures (determine other measures)'), ('problems', 'take measures on identified problematic issues')], max_length=20, verbose_name='aimed at')),
                        ('text', models.TextField(verbose_name='decision')),
                        ('due_on', models.DateField(verbose_name='due date')),
                        ('status', models.CharField(choices=[('open', 'open'), ('in_progress', 'in progress'), ('done', 'done')], default='open', max_length=20, verbose_name='status')),
                        ('decided_on', models.DateField(verbose_name='decided on')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('units', models.ManyToManyField(related_name='decisions', to='orgs.unit', verbose_name='assigned units')),
                    ],
                    options={
                        'verbose_name': 'decision',
                        'verbose_name_plural': 'decisions',
                        'db_table': 'monitoring_decision',
                        'ordering': ['report', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='DecisionProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', 'open'), ('in_progress', 'in progress'), ('done', 'done')], max_length=20, verbose_name='status')),
                        ('text', models.TextField(verbose_name='what was done')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='date and time')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('decision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='reports.decision', verbose_name='decision')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'progress on a decision',
                        'verbose_name_plural': 'progress on decisions',
                        'db_table': 'monitoring_decisionprogress',
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalReport',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='quarter')),
                        ('status', models.CharField(choices=[('draft', 'in preparation'), ('submitted', 'submitted to the officials')], default='draft', max_length=20, verbose_name='status')),
                        ('general_recommendations', models.TextField(blank=True, help_text='Measures the officials should take to ensure timely implementation (R16).', verbose_name='recommendations to the officials')),
                        ('compiled_at', models.DateTimeField(blank=True, null=True, verbose_name='compiled at')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('days_late', models.PositiveIntegerField(blank=True, null=True, verbose_name='days late')),
                        ('frozen_summary', models.JSONField(blank=True, editable=False, null=True, verbose_name='summary as submitted')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('compiled_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('monitoring_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='unit responsible for the report')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.operationalplan', verbose_name='plan')),
                        ('revision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.revision', verbose_name='revision of the plan in force')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'historical quarterly report',
                        'verbose_name_plural': 'historical quarterly reports',
                        'db_table': 'monitoring_historicalreport',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='quarter')),
                        ('status', models.CharField(choices=[('draft', 'in preparation'), ('submitted', 'submitted to the officials')], default='draft', max_length=20, verbose_name='status')),
                        ('general_recommendations', models.TextField(blank=True, help_text='Measures the officials should take to ensure timely implementation (R16).', verbose_name='recommendations to the officials')),
                        ('compiled_at', models.DateTimeField(blank=True, null=True, verbose_name='compiled at')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('days_late', models.PositiveIntegerField(blank=True, null=True, verbose_name='days late')),
                        ('frozen_summary', models.JSONField(blank=True, editable=False, null=True, verbose_name='summary as submitted')),
                        ('compiled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('monitoring_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit', verbose_name='unit responsible for the report')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='plans.operationalplan', verbose_name='plan')),
                        ('revision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.revision', verbose_name='revision of the plan in force')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'quarterly report',
                        'verbose_name_plural': 'quarterly reports',
                        'db_table': 'monitoring_report',
                        'ordering': ['plan', 'quarter'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalReportRow',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('due', models.BooleanField(default=False, verbose_name='due by the end of the quarter')),
                        ('status', models.CharField(blank=True, choices=[('executed', 'executed'), ('partial', 'partially executed'), ('not_executed', 'not executed'), ('not_due', 'not yet due')], max_length=20, verbose_name='status')),
                        ('actual', models.TextField(blank=True, verbose_name='actual execution')),
                        ('reasons', models.TextField(blank=True, verbose_name='reasons for non-fulfilment')),
                        ('executed_earlier', models.BooleanField(default=False, help_text='The lead reported the action executed in an earlier quarter.', verbose_name='executed in an earlier quarter')),
                        ('missing_units', models.JSONField(blank=True, default=list, verbose_name='units without accepted information')),
                        ('recommendation', models.TextField(blank=True, verbose_name='recommendation')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.action', verbose_name='action')),
                        ('entry', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.revisionaction', verbose_name='action as approved')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.report', verbose_name='report')),
                    ],
                    options={
                        'verbose_name': 'historical row of a report',
                        'verbose_name_plural': 'historical rows of a report',
                        'db_table': 'monitoring_historicalreportrow',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDecision',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('effectiveness', 'improve the effectiveness of the planned measures (determine other measures)'), ('problems', 'take measures on identified problematic issues')], max_length=20, verbose_name='aimed at')),
                        ('text', models.TextField(verbose_name='decision')),
                        ('due_on', models.DateField(verbose_name='due date')),
                        ('status', models.CharField(choices=[('open', 'open'), ('in_progress', 'in progress'), ('done', 'done')], default='open', max_length=20, verbose_name='status')),
                        ('decided_on', models.DateField(verbose_name='decided on')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.report', verbose_name='report')),
                    ],
                    options={
                        'verbose_name': 'historical decision',
                        'verbose_name_plural': 'historical decisions',
                        'db_table': 'monitoring_historicaldecision',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAmendmentRecommendation',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('term', 'change the term of execution'), ('executor', 'change the responsible executor'), ('wording', 'change the wording'), ('remove', 'remove the action'), ('add', 'add an action')], max_length=20, verbose_name='change')),
                        ('name', models.TextField(blank=True, verbose_name='new wording')),
                        ('term_kind', models.CharField(blank=True, max_length=20, verbose_name='new term of execution')),
                        ('term_date', models.DateField(blank=True, null=True, verbose_name='term date')),
                        ('term_month', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term month')),
                        ('term_quarter', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term quarter')),
                        ('term_half', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term half-year')),
                        ('justification', models.TextField(verbose_name='justification')),
                        ('applied_revision_number', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='applied to revision')),
                        ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.action', verbose_name='action')),
                        ('applied_action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.action', verbose_name='changed action')),
                        ('applied_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('applied_plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.operationalplan', verbose_name='applied to the adjustment of')),
                        ('completion_form', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.completionform', verbose_name='form of completion')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='strategy.indicator', verbose_name='indicator')),
                        ('lead_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='new responsible executor')),
                        ('task', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.regulationtask', verbose_name='task from the regulation')),
                        ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.report', verbose_name='report')),
                    ],
                    options={
                        'verbose_name': 'historical recommendation to amend the plan',
                        'verbose_name_plural': 'historical recommendations to amend the plan',
                        'db_table': 'monitoring_historicalamendmentrecommendation',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='decision',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='reports.report', verbose_name='report'),
                ),
                migrations.CreateModel(
                    name='AmendmentRecommendation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('term', 'change the term of execution'), ('executor', 'change the responsible executor'), ('wording', 'change the wording'), ('remove', 'remove the action'), ('add', 'add an action')], max_length=20, verbose_name='change')),
                        ('name', models.TextField(blank=True, verbose_name='new wording')),
                        ('term_kind', models.CharField(blank=True, max_length=20, verbose_name='new term of execution')),
                        ('term_date', models.DateField(blank=True, null=True, verbose_name='term date')),
                        ('term_month', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term month')),
                        ('term_quarter', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term quarter')),
                        ('term_half', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='term half-year')),
                        ('justification', models.TextField(verbose_name='justification')),
                        ('applied_revision_number', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='applied to revision')),
                        ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied at')),
                        ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='amendment_recommendations', to='plans.action', verbose_name='action')),
                        ('applied_action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.action', verbose_name='changed action')),
                        ('applied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('applied_plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applied_recommendations', to='plans.operationalplan', verbose_name='applied to the adjustment of')),
                        ('completion_form', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.completionform', verbose_name='form of completion')),
                        ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='strategy.indicator', verbose_name='indicator')),
                        ('lead_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit', verbose_name='new responsible executor')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.regulationtask', verbose_name='task from the regulation')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='amendments', to='reports.report', verbose_name='report')),
                    ],
                    options={
                        'verbose_name': 'recommendation to amend the plan',
                        'verbose_name_plural': 'recommendations to amend the plan',
                        'db_table': 'monitoring_amendmentrecommendation',
                        'ordering': ['report', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('due', models.BooleanField(default=False, verbose_name='due by the end of the quarter')),
                        ('status', models.CharField(blank=True, choices=[('executed', 'executed'), ('partial', 'partially executed'), ('not_executed', 'not executed'), ('not_due', 'not yet due')], max_length=20, verbose_name='status')),
                        ('actual', models.TextField(blank=True, verbose_name='actual execution')),
                        ('reasons', models.TextField(blank=True, verbose_name='reasons for non-fulfilment')),
                        ('executed_earlier', models.BooleanField(default=False, help_text='The lead reported the action executed in an earlier quarter.', verbose_name='executed in an earlier quarter')),
                        ('missing_units', models.JSONField(blank=True, default=list, verbose_name='units without accepted information')),
                        ('recommendation', models.TextField(blank=True, verbose_name='recommendation')),
                        ('action', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_rows', to='plans.action', verbose_name='action')),
                        ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.revisionaction', verbose_name='action as approved')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='reports.report', verbose_name='report')),
                    ],
                    options={
                        'verbose_name': 'row of a report',
                        'verbose_name_plural': 'rows of a report',
                        'db_table': 'monitoring_reportrow',
                        'ordering': ['report', 'entry__number'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(fields=('plan', 'quarter'), name='one_report_per_quarter'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='report_quarter'),
                ),
                migrations.AddConstraint(
                    model_name='reportrow',
                    constraint=models.UniqueConstraint(fields=('report', 'action'), name='one_report_row_per_action'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
