"""Domain errors raised by services; views turn them into messages."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation, with a message fit to show the user (already translated)."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
