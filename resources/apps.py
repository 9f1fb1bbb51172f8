from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from itsm_pmo.home import register_work_provider, register_work_source

        from . import conflicts, home, providers
        from .choices import ConflictKind
        from .engine.registry import register_provider, register_rule
        from .models import Absence, Allocation, Demand, Person, PersonSkill, Team
        from .services import plan_watch_inputs

        register_work_source(home.freezes)
        register_work_source(home.critical)
        register_work_provider(home.my_team_panel)
        register_work_provider(home.conflicts_panel)
        register_work_provider(home.my_load_panel)
        register_provider("resources.people", providers.people)
        register_provider("resources.absences", providers.absences)
        register_provider("resources.allocations", providers.allocations)
        register_provider("resources.demands", providers.demands)
        register_rule(ConflictKind.OVERALLOCATION, conflicts.overallocation)
        register_rule(ConflictKind.SKILL_GAP, conflicts.skill_gap)
        plan_watch_inputs(Person, PersonSkill, Team, Absence, Allocation, Demand)
