import copy

from jospar.lib.forms import VersionedForm
from jospar.reminders.models import Schedule

SCHEDULE_FIELDS = ["enabled", "days_before", "on_the_day", "every_after"]


class ScheduleForm(VersionedForm):
    class Meta:
        model = Schedule
        fields = SCHEDULE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" not in self.fields:  # the defaults, never saved: version 0, so that a
            # save after another administrator's first one is a conflict too
            self.fields["version"] = copy.deepcopy(self.base_fields["version"])
            self.initial["version"] = self.instance.version
