"""Pure domain core: no I/O, no web, no database, no clock."""
