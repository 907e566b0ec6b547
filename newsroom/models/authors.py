from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from assets.text import ascii_slug, fold


class Author(index.Indexed, models.Model):
    """A byline. Linked to a staff account where there is one; contributors
    and agencies can be authors without an account."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=255, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="author"
    )
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("user"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("email"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("folded_name"),
        index.AutocompleteField("name"),
        # The admin's search box autocompletes: "tran thi binh" finds "Trần Thị Bình".
        index.AutocompleteField("folded_name"),
    ]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def folded_name(self):
        return fold(self.name)

    def save(self, *args, **kwargs):
        if not self.slug:
            base = ascii_slug(self.name) or "tac-gia"
            slug, n = base, 1
            while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def url_for_home(self, home):
        return home.url + home.reverse_subpage("author", args=[self.slug])
