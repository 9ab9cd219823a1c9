"""The applicant's profile, its validation and standing."""
