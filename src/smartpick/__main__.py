"""``python -m smartpick`` runs the command line."""

from smartpick.cli import main

main()
