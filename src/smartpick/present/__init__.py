"""Presentation shared by the CLI and the web app: the words users read."""
