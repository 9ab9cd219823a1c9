"""The structural market model of the PM&R Match behind every probability SmartPick shows.

A synthetic national cohort applies to the catalogue's programs, programs choose whom to interview and rank,
and the project's NRMP kernel decides the matches (:mod:`.kernel`). The free parameters are fitted to
published figures and checked on held-out ones (:mod:`.calibrate`); an applicant's program-specific
chances are read off the simulated markets (:mod:`.chances`).
"""
