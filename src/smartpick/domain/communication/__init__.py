"""Messages, drafts, the tracker and rank lists."""
