"""Resources pages, one module per page family."""
