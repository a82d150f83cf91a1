"""The `sijcoach` command line: commands.py (the Typer app), rendering.py (Rich output for the
terminal), checkin.py (the interactive check-in). Importing this package loads only Typer and the
engine's vocabularies, so `sijcoach --help` stays fast."""

from sijcoach.cli.commands import app, main

__all__ = ["app", "main"]
