from django.apps import AppConfig

# Configure the Celery app whenever Django starts (web, management commands, tests), so tasks
# queued from any of them go to the configured broker; `celery -A verify` finds it too.
import verify.celery  # noqa: F401


class VerifyConfig(AppConfig):
    name = "verify"
    verbose_name = "verify"
    default_auto_field = "django.db.models.BigAutoField"
