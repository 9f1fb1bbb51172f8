from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from itsm_pmo.home import register_work_provider

        from .home import my_projects_panel, triage_panel

        register_work_provider(triage_panel)
        register_work_provider(my_projects_panel)
