"""The capacity and conflict engine: pure functions over plain records, no Django inside.

records.py   the frozen dataclasses the engine reads and writes
calendar.py  ISO weeks (Monday start) and working days
capacity.py  capacity, load per person-week and team-week
registry.py  the providers and rules other apps register
run.py       gather -> compute -> rules, the one entry point
fit.py       portfolio fit and the skills matrix over free hours and unnamed demand
"""
