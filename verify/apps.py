from django.apps import AppConfig


class VerifyConfig(AppConfig):
    name = "verify"
    verbose_name = "verify"
    default_auto_field = "django.db.models.BigAutoField"
