"""The application calendar, exams, rotations and letters."""
