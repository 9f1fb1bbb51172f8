from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from itsm_pmo.home import register_work_source

        from . import home

        register_work_source(home.to_publish)
        register_work_source(home.to_review)
