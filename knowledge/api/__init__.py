"""The knowledge REST API, mounted at /api/knowledge/."""
