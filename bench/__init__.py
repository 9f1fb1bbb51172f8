"""The benchmarks, on PostgreSQL (docs/performance.md).

`python -m bench` (make bench): the capacity engine's full recompute against the bare read.
dataset.py        the enterprise capacity set, built deterministically with bulk_create
timing.py         the measurements: bare read, pure engine, full recompute, phases
__main__.py       the command line (and the dispatch to the sub-commands below)

`python -m bench web` (make bench-web): the portal served and loaded against its floor.
web.py            the command: database, data, stack, load, edit-to-conflict, engine, report
paths.py          what is loaded: every page and API list, by role and kind (tests reuse it)
web_data.py       the web benchmark's data: bench.enterprise.ensure when it exists, else seed_demo

stack.py          gunicorn (4 sync workers) and a Celery worker, started and stopped
load.py           signing in through the login form, and wrk with its Lua script
report.py         the Markdown report and the targets
engine_scaling.py the engine at 1×, 4× and 16× (`python -m bench engine-scaling`)

`python -m bench data`: the enterprise data set of every app, around the demo.
enterprise/       the builders, one module per app; `enterprise.ensure()` builds or reuses
data.py           its command line
"""
