"""What moves an applicant's chances most."""
