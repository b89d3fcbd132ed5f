"""The shared list of forms of completion, as people write them in operational plans.

Stored in English and shown translated; a body's administrator can add its own.
"""

from django.utils.translation import gettext_noop

COMPLETION_FORMS = [
    gettext_noop("Information to the Government"),
    gettext_noop("Information to the Administration of the President"),
    gettext_noop("Information to the Ministry of National Economy"),
    gettext_noop("Information to the management"),
    gettext_noop("Resolution of the Government"),
    gettext_noop("Draft law"),
    gettext_noop("Order of the Minister"),
    gettext_noop("Joint order"),
    gettext_noop("Report"),
    gettext_noop("Protocol"),
    gettext_noop("Methodological recommendations"),
    gettext_noop("Agreement (contract)"),
    gettext_noop("Act of acceptance"),
    gettext_noop("Publication in the media"),
]
