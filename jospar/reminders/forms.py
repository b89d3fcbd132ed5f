from jospar.lib.forms import ServiceModelForm
from jospar.reminders.models import Schedule

SCHEDULE_FIELDS = ["enabled", "days_before", "on_the_day", "every_after"]


class ScheduleForm(ServiceModelForm):
    class Meta:
        model = Schedule
        fields = SCHEDULE_FIELDS
