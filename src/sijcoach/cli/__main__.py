"""`python -m sijcoach.cli` runs the command line."""

from sijcoach.cli.commands import main

main()
