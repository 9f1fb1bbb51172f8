"""The project package holds no tables; this module exists so that Django sends it
post_migrate, on which the role groups are brought up to date (see apps.py)."""
