from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from itsm_pmo.home import register_work_provider

        from . import home

        register_work_provider(home.drafts_panel)
        register_work_provider(home.review_panel)
