from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Changes"

    def ready(self) -> None:
        from itsm_pmo.home import register_work_source
        from resources.choices import ConflictKind
        from resources.engine.registry import register_provider, register_rule
        from resources.services import plan_watch_inputs

        from . import conflicts, home, providers
        from .models import ChangeRequest, FreezeWindow

        register_provider("changes.changes", providers.changes)
        register_provider("changes.freezes", providers.freezes)
        register_rule(ConflictKind.CHANGE_IN_FREEZE, conflicts.change_in_freeze)
        register_rule(ConflictKind.CHANGE_COLLISION, conflicts.change_collision)
        register_rule(ConflictKind.IMPLEMENTER_OVERBOOKED, conflicts.implementer_overbooked)
        plan_watch_inputs(ChangeRequest, FreezeWindow)
        register_work_source(home.cab_queue)
        register_work_source(home.to_implement)
