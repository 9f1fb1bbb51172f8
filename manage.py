#!/usr/bin/env python
"""Django's command-line utility for the ITSM/PMO portal."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    # The embedded default's settings that `make run` wrote (var/.env), for this checkout's
    # commands only; production never reads them (see itsm_pmo/devenv.py).
    from itsm_pmo.devenv import dev_env_path, load_dev_env

    load_dev_env(dev_env_path(Path(__file__).resolve().parent))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
