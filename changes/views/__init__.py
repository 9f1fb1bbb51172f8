"""Change pages, one module per page family: the changes (list, page, form), the actions
taken from a change's page, the CAB queue, and the calendar with its feed."""
