from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, post_save


def _sync_roles(sender, **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .roles import sync_role_permissions

    # Permissions of every app must exist before the groups can be given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_role_permissions()


class ItsmPmoConfig(AppConfig):
    name = "itsm_pmo"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Every model date-time in the API is answered in UTC (itsm_pmo/api.py).
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from .api import UtcDateTimeField

        ModelSerializer.serializer_field_mapping[models.DateTimeField] = UtcDateTimeField
        # After every migrate, models added since get their role permissions.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="itsm_pmo.sync_roles")
        # Every write bumps its table's version (itsm_pmo/table_versions.py).
        from . import table_versions

        connection_created.connect(table_versions.watch, dispatch_uid="itsm_pmo.table_versions")
        # API tokens die with a logout and with the user's deactivation (itsm_pmo/tokens.py).
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import session_timeout, tokens

        user_logged_out.connect(tokens.revoke_on_logout, dispatch_uid="itsm_pmo.token_logout")
        user_logged_in.connect(session_timeout.mark_sign_in, dispatch_uid="itsm_pmo.session_start")
        post_save.connect(
            tokens.revoke_on_deactivation,
            sender=get_user_model(),
            dispatch_uid="itsm_pmo.token_deactivation",
        )
