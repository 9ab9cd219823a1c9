"""Programs, geography and the published figures."""
