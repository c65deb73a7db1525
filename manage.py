#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_portal.settings")
    # Management commands (imports, load_demo, generate_offers, migrations) may run long
    # statements on purpose; the statement timeout is for the web server's requests.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
