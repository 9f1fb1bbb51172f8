"""The capacity engine's benchmark: `python -m bench` (or `make bench`) on PostgreSQL.

dataset.py  the engine's set (planning tables only), built deterministically with bulk_create
timing.py   the measurements: bare read, pure engine, full recompute, phases
__main__.py the command line (`python -m bench`, and its sub-commands such as `data`)
enterprise/ the enterprise data set of every app, around the demo (`python -m bench data`,
            `enterprise.ensure()`); data.py is its command line
"""
