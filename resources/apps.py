from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from itsm_pmo.home import register_work_provider

        from .home import my_team_panel

        register_work_provider(my_team_panel)
