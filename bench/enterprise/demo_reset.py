"""seed_demo, first of all: forget the volume an earlier `seed_demo --scale N` gave the copies
of the organisation (see demo_volume), before the demo's own rows are walked again."""

from .demo_volume import forget as seed

__all__ = ["seed"]
