"""Signals the portfolio sends to the apps that follow a project's life."""

from django.dispatch import Signal

# Sent inside the transaction that moves a project to approved, so what receivers create
# (the handover) commits or rolls back with the approval. Arguments: project, by.
project_approved = Signal()
