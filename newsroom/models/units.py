from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


class UnitQuerySet(models.QuerySet):
    def for_page(self, page):
        """The unit whose site holds ``page`` (None for the tree root and
        pages of no unit's site), matched on Wagtail's cached site root
        paths: one query, for the unit itself."""
        url_path = page.url_path or ""
        roots = [root for root in Site.get_site_root_paths() if url_path.startswith(root.root_path)]
        if not roots:
            return None
        site_id = max(roots, key=lambda root: len(root.root_path)).site_id
        return self.select_related("site__root_page").filter(site_id=site_id).first()


@register_setting(icon="site")
class Unit(BaseSiteSetting):
    """A press unit (cơ quan báo chí): one Wagtail Site with its own identity.

    Being a site setting keeps exactly one Unit per Site and gives editors a
    per-site settings form; later features (channels, roles) point at it.
    """

    slug = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", _("Use lower-case ASCII letters, digits and hyphens."))],
        help_text=_("Short ASCII code, also the development sub-domain (<code>.localhost)."),
    )
    name = models.CharField(_("name"), max_length=255)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="vi")
    publication_name = models.CharField(
        _("publication name for Google News"), max_length=255, blank=True, help_text=_("Defaults to the unit name.")
    )
    press_license = models.CharField(_("press licence"), max_length=255, blank=True, help_text=_("Licence number and issuing authority, shown in the footer."))
    editor_in_chief = models.CharField(_("editor-in-chief"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    zalo_url = models.URLField(_("Zalo OA"), blank=True)
    tiktok_url = models.URLField(_("TikTok"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    # The unit's own part of the shared media archive: every unit chooses
    # from the whole archive, only the unit changes what is in its part
    # (the permissions are set by workflows.roles).
    archive_collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("archive collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="unit",
    )
    # The unit's private part: its staff alone see and choose what is in
    # it, until a story of the unit shows it to readers (workflows.roles).
    private_collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("private archive collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="private_unit",
    )
    review_published_edits = models.BooleanField(
        _("edits to published stories need review"),
        default=True,
        help_text=_("When on, changing a story that is in review, approved or published sends it through the workflow again; "
                    "only the workflow's final approval puts the change on the site."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("tagline"), FieldPanel("logo"), FieldPanel("language")], heading=_("Identity")),
        MultiFieldPanel([FieldPanel("publication_name"), FieldPanel("press_license"), FieldPanel("editor_in_chief")], heading=_("Publication")),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")),
        MultiFieldPanel([FieldPanel("review_published_edits")], heading=_("Editorial process")),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("youtube_url"), FieldPanel("zalo_url"), FieldPanel("tiktok_url"), FieldPanel("x_url")],
            heading=_("Social links"),
        ),
    ]

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("press unit")
        verbose_name_plural = _("press units")

    def __str__(self):
        return self.name

    @property
    def news_publication_name(self):
        return self.publication_name or self.name

    @cached_property
    def social_links(self):
        pairs = [
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
            ("Zalo", self.zalo_url),
            ("TikTok", self.tiktok_url),
            ("X", self.x_url),
        ]
        return [(label, url) for label, url in pairs if url]
