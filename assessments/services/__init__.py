"""Services: every write and every transition of the assessment cycle goes through here."""
