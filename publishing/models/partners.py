import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Partner(models.Model):
    """A partner that reads our stories through the content API. It sees only
    the units (and, if any are chosen, the sections) granted to it. Only a
    hash of its token is stored; the token is shown once when issued."""

    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    units = models.ManyToManyField("newsroom.Unit", verbose_name=_("units"), related_name="partners")
    sections = models.ManyToManyField(
        "newsroom.SectionPage", verbose_name=_("sections"), blank=True, related_name="+",
        help_text=_("Only these sections of the granted units; none selected means every section."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=12, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def issue_token(self):
        """Give the partner a new token (the old one stops working) and
        return it; it cannot be read back later."""
        token = "htp_" + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_prefix = token[:12]
        return token
