"""Exceptions that services raise and both the pages and the API understand."""


class TransitionRefused(Exception):
    """A state move the workflow does not allow now: answered 409 with the allowed moves."""

    def __init__(self, detail: str, *, allowed: list[str], current: str):
        super().__init__(detail)
        self.detail = detail
        self.allowed = allowed
        self.current = current
