"""What Jospar's console commands share."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """A command whose help is a lazy translation, worded in the console's language."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # argparse formats plain strings only
        return super().create_parser(prog_name, subcommand, **kwargs)
