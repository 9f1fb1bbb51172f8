"""The capacity engine's benchmark: `python -m bench` (or `make bench`) on PostgreSQL.

dataset.py  the enterprise set, built deterministically with bulk_create
timing.py   the measurements: bare read, pure engine, full recompute, phases
__main__.py the command line
"""
