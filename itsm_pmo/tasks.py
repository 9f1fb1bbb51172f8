"""Platform tasks."""

import socket

from celery import shared_task


@shared_task(ignore_result=False)
def ping() -> dict:
    """Answers where it ran: proves that a worker consumes from the broker."""
    return {"pong": True, "host": socket.gethostname()}
