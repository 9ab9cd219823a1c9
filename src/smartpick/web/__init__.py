"""SmartPick in a browser: server-rendered pages and a JSON API over the same services as the CLI."""
