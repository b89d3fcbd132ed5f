"""The `jospar` command: Django's management commands with Jospar's settings.

A command is also reachable with hyphens for underscores (`jospar import-plan` runs
`import_plan`, `jospar help export-plan` explains `export_plan`), so the README can write
commands the way shell users expect.
"""

import os
import sys


def command_alias(argv: list[str]) -> list[str]:
    """argv with a hyphenated command name replaced by the command it stands for."""
    position = 2 if len(argv) > 2 and argv[1] == "help" else 1
    if len(argv) <= position or "-" not in argv[position] or argv[position].startswith("-"):
        return argv
    import django
    from django.core.management import get_commands

    try:
        django.setup()  # before get_commands(), which caches what it finds
    except Exception:  # noqa: BLE001 - Django's own start-up reports the error properly
        return argv
    name = argv[position]
    underscored = name.replace("-", "_")
    commands = get_commands()
    if name not in commands and underscored in commands:
        return [*argv[:position], underscored, *argv[position + 1 :]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jospar.settings")
    # A development machine's var/jospar.env (`make run` writes it) fills in what the
    # environment does not set; a server has none (its environment comes from systemd).
    from jospar.lib import localenv

    localenv.load()
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings: a bad environment is one line
    except ImproperlyConfigured as error:
        sys.exit(f"jospar: {error}")

    execute_from_command_line(command_alias(sys.argv))


if __name__ == "__main__":
    main()
