"""The source registry: outlets, people and organisations, with their spellings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    OUTLET = "outlet", _("Outlet / agency")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Source(models.Model):
    """An entry of the source registry: an outlet (AFP, TASS), a person or an organisation."""

    Kind = SourceKind

    name = models.CharField("canonical name", max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code")
    state_affiliated = models.BooleanField(
        default=False, help_text="Funded or controlled by a state (outlets)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="source_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("verify:source_detail", args=[self.pk])


class SourceAlias(models.Model):
    """Another spelling of a source's name, in any script (एएफपी, टीएएसएस, तास …)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "source aliases"
        constraints = [
            models.UniqueConstraint(fields=["source", "alias"], name="sourcealias_unique"),
        ]

    def __str__(self) -> str:
        return self.alias
