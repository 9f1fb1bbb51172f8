"""A handover's opening was recorded as a move from planning to planning, which the state log
showed as "Planning → Planning". It is the record of who opened the handover and when: its
`from_state` becomes empty (itsm_pmo.models.OPENED), as new openings are recorded.

The trail is append-only for the application; a migration's models have plain managers, so
this one rewrite of history's form (not of its facts) goes through."""

from django.db import migrations
from django.db.models import F

OPENED = ""


def opening_is_not_a_move(apps, schema_editor):
    HandoverTransition = apps.get_model("handover", "HandoverTransition")
    HandoverTransition.objects.filter(from_state=F("to_state")).update(from_state=OPENED)


def back_to_a_self_move(apps, schema_editor):
    HandoverTransition = apps.get_model("handover", "HandoverTransition")
    HandoverTransition.objects.filter(from_state=OPENED).update(from_state=F("to_state"))


class Migration(migrations.Migration):
    dependencies = [("handover", "0007_problem_transitions")]

    operations = [migrations.RunPython(opening_is_not_a_move, back_to_a_self_move)]
