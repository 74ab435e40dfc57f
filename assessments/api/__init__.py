"""The REST API ``/api/v1/`` (issue 19): thin views over the features' own services and selectors,
authenticated by hashed, scoped, expiring tokens, with problem details, idempotent writes and
per-token throttling (docs/api.md)."""
