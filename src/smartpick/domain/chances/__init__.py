"""Individual chances, tiers and the application list."""
