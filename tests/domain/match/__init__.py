"""Tests of the NRMP match algorithm (package so helpers import relatively)."""
