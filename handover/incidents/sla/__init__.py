"""Service levels of incidents: targets per priority, a working calendar per cover, timers
computed from an incident's own history, and the warning and escalation sweep (docs/sla.md).

calendar.py and engine.py are pure (no ORM); history.py reads rows into their records;
services.py writes timers and escalations; tasks.py is the beat's thin task."""
