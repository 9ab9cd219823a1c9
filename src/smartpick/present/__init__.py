"""Presentation shared by the CLI and the web: the words users read, and one JSON serialiser per result."""
