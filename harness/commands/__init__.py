"""Subcommands of ``sysdesign``: one module ``cmd_<name>.py`` each, exposing ``register(subparsers)``."""
