from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _catalogue_after_migrate(sender, **kwargs) -> None:
    from .catalogue import ensure_catalogue
    from .models import ReadinessCriterion

    ensure_catalogue(ReadinessCriterion)


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = "Handover"

    def ready(self):
        from portfolio.services import when_project_approved

        from .services import on_project_approved

        # An approved project opens its handover (inside the approval's transaction).
        when_project_approved(on_project_approved, dispatch_uid="handover_open_on_approval")
        post_migrate.connect(
            _catalogue_after_migrate, sender=self, dispatch_uid="handover_catalogue"
        )
        self._register_with_the_engine()
        self._register_inbox()

    def _register_inbox(self) -> None:
        from itsm_pmo.home import register_work_source

        from . import home
        from .incidents import home as incident_home

        register_work_source(home.acceptance)
        register_work_source(home.checks)
        register_work_source(incident_home.incidents)

    def _register_with_the_engine(self) -> None:
        from resources.choices import ConflictKind
        from resources.engine.registry import register_provider, register_rule
        from resources.services import plan_watch_inputs

        from . import conflicts, providers
        from .incidents.major import providers as major_providers
        from .models import Engagement, Handover, ReadinessCheck, WorkLog

        register_provider("handover.go_lives", providers.go_lives)
        register_provider("handover.handovers", providers.handovers)
        register_provider("handover.incident_work", providers.incident_work)
        register_provider("handover.major_engagements", major_providers.engagement_work)
        register_rule(ConflictKind.GO_LIVE_IN_FREEZE, conflicts.go_live_in_freeze)
        register_rule(ConflictKind.HANDOVER_NOT_READY, conflicts.handover_not_ready)
        register_rule(ConflictKind.SUPPORT_OVERLOAD, conflicts.support_overload)
        # Go-lives are read from the portfolio's milestones: named by label, as a foreign key.
        plan_watch_inputs(Handover, ReadinessCheck, WorkLog, "portfolio.Milestone")
        # A major incident's engagements are operational load (incidents/major/hours.py).
        plan_watch_inputs(Engagement)
