"""Fellowship tracks, programs, the resident's portfolio and planner."""
