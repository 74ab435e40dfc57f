"""Objections (annex 14), special commissions and their decisions: built by the appeals issue."""
