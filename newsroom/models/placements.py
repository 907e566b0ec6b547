"""Where editors put stories on a unit's home page: the spotlight (tiêu
điểm), the top of the page (đầu trang) and each section's highlights
(nổi bật chuyên mục), in their order, each until a time or until taken
off. What they leave empty the newest stories fill."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HomePosition(models.TextChoices):
    SPOTLIGHT = "spotlight", _("Spotlight")
    TOP = "top", _("Top of the page")
    SECTION = "section", _("Section highlight")


class HomePlacementQuerySet(models.QuerySet):
    def current(self, at=None):
        """Placements that hold now (or ``at``): not past their time."""
        return self.filter(Q(until__isnull=True) | Q(until__gt=at or timezone.now()))


class HomePlacement(models.Model):
    home = models.ForeignKey("newsroom.HomePage", on_delete=models.CASCADE, related_name="placements")
    position = models.CharField(_("position"), max_length=16, choices=HomePosition.choices)
    section = models.ForeignKey(
        "newsroom.SectionPage", verbose_name=_("section"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    story = models.ForeignKey("newsroom.ArticlePage", verbose_name=_("story"), on_delete=models.CASCADE, related_name="placements")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    until = models.DateTimeField(_("pinned until"), null=True, blank=True, help_text=_("Leave empty to keep it until taken off."))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)

    objects = HomePlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("home page placement")
        verbose_name_plural = _("home page placements")
        ordering = ["position", "section", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["home", "position", "section", "story"], name="one_placement_per_story_and_place")]

    def __str__(self):
        return f"{self.get_position_display()}: {self.story_id}"
