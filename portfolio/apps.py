from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from itsm_pmo.home import register_work_provider, register_work_source

        from . import home

        for source in (home.to_score, home.stage_moves, home.benefits, home.red):
            register_work_source(source)
        register_work_provider(home.my_projects_panel)
