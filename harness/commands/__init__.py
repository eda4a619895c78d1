"""Subcommands of ``sysdesign``: one module ``cmd_<name>.py`` each, exposing ``register(subparsers)``;
what they share is in :mod:`sysdesign.commands.common` (they never import :mod:`sysdesign.cli`)."""
