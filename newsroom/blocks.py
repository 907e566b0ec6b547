"""StreamField blocks of an article body."""

import re
from html import unescape

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import charts

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript", "subscript", "strikethrough"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=255)
    level = blocks.ChoiceBlock(choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2", label=_("level"), search_index=False)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, help_text=_("Leave empty to use the archive caption."))
    credit = blocks.CharBlock(label=_("credit"), required=False, help_text=_("Leave empty to use the archive credit."))
    layout = blocks.ChoiceBlock(
        choices=[("normal", _("Column width")), ("wide", _("Wide")), ("full", _("Full screen"))], default="normal", label=_("layout"), search_index=False
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class GalleryItemBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    images = blocks.ListBlock(GalleryItemBlock(), label=_("images"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blocks/gallery.html"


class ArchiveMediaBlock(blocks.StructBlock):
    """A video or audio of the archive; the chosen file must be of the
    block's kind (Meta.media_kind, also the name of the chooser field)."""

    def clean(self, value):
        value = super().clean(value)
        kind = self.meta.media_kind
        if value[kind] and value[kind].kind != kind:
            raise blocks.StructBlockValidationError({kind: ValidationError(self.meta.wrong_kind_message)})
        return value


class VideoBlock(ArchiveMediaBlock):
    video = SnippetChooserBlock("assets.Media", label=_("video"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"
        media_kind = "video"
        wrong_kind_message = _("Choose a video file, not audio.")


class AudioBlock(ArchiveMediaBlock):
    audio = SnippetChooserBlock("assets.Media", label=_("audio"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Audio")
        template = "blocks/audio.html"
        media_kind = "audio"
        wrong_kind_message = _("Choose an audio file, not video.")


class EmbedWithCaptionBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("URL (YouTube, Facebook, X, …)"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "code"
        label = _("Embed")
        template = "blocks/embed.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("content"))

    class Meta:
        icon = "list-ul"
        label = _("Fact box")
        template = "blocks/fact_box.html"


class ArticleTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("caption"), required=False)
    table = TableBlock(label=_("table"), table_options={"contextMenu": True, "startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table.html"


class RelatedArticlesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, default=_("Related stories"))
    articles = blocks.ListBlock(blocks.PageChooserBlock(page_type="newsroom.ArticlePage"), label=_("articles"), min_num=1)

    class Meta:
        icon = "doc-full"
        label = _("Related articles")
        template = "blocks/related.html"


class DataChartBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    chart_type = blocks.ChoiceBlock(choices=[("bar", _("Bar chart")), ("line", _("Line chart"))], default="bar", label=_("chart type"), search_index=False)
    data = blocks.TextBlock(
        label=_("data (CSV)"),
        help_text=_("First row: headings. First column: labels; each further column is a series of numbers."),
    )
    source = blocks.CharBlock(label=_("source"), required=False)

    class Meta:
        icon = "table"
        label = _("Data chart")
        template = "blocks/chart.html"

    def clean(self, value):
        value = super().clean(value)
        try:
            charts.parse_csv(value["data"])
        except charts.ChartDataError as error:
            raise blocks.StructBlockValidationError({"data": ValidationError(str(error))}) from None
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        try:
            data = charts.parse_csv(value["data"])
        except charts.ChartDataError:
            # Stored before validation existed or edited in the database: show nothing broken.
            context["chart_error"] = True
            return context
        context["svg"] = mark_safe(charts.render_svg(data, value["chart_type"], value["title"]))
        context["chart"] = data
        context["rows"] = [(label, [charts.format_number(vs[i]) for _, vs in data.series]) for i, label in enumerate(data.labels)]
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"), icon="pilcrow", template="blocks/paragraph.html")
    heading = HeadingBlock()
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    audio = AudioBlock()
    embed = EmbedWithCaptionBlock()
    quote = QuoteBlock()
    fact_box = FactBoxBlock()
    table = ArticleTableBlock()
    related = RelatedArticlesBlock()
    chart = DataChartBlock()


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"(</(?:p|h\d|li|blockquote)>|<(?:br|hr)\s*/>)", re.IGNORECASE)


def rich_text_for_indexing(source):
    """Wagtail's ``get_text_for_indexing`` (a space after each block, tags
    dropped, entities read) with a regular expression where Django's
    ``strip_tags`` runs an HTML parser, a third of indexing's time: the
    editor stores well-formed HTML, a literal "<" as "&lt;"."""
    return unescape(_TAG.sub("", _BLOCK_END.sub(r"\1 ", source or "")).strip())


def searchable_text(block, raw):
    """What Wagtail's ``block.get_searchable_content`` gives for a raw
    (stored) value, without turning chooser blocks into their objects: a
    chooser adds no text (an image's, a video's, a related story's), and
    loading it cost the search index a query per story with pictures."""
    if raw is None or isinstance(block, blocks.ChooserBlock) or not getattr(block, "search_index", True):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [
            text
            for child in raw
            if child.get("type") in block.child_blocks
            for text in searchable_text(block.child_blocks[child["type"]], child.get("value"))
        ]
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in searchable_text(child, raw[name] if name in raw else child.get_default())
        ]
    if isinstance(block, blocks.RichTextBlock):
        return [rich_text_for_indexing(raw)]
    if isinstance(block, blocks.ListBlock):
        # Stored as {"type": "item", "value": …, "id": …} since Wagtail 2.16, plain before.
        items = (item["value"] if isinstance(item, dict) and item.get("type") == "item" and "value" in item else item for item in raw)
        return [text for item in items for text in searchable_text(block.child_block, item)]
    return block.get_searchable_content(block.to_python(raw))


def prefetch_body(body):
    """Load everything a body's blocks show in a fixed number of queries,
    however many blocks there are: video/audio posters, then the renditions of
    every image, the caption tracks of every video. Returns the images found."""
    from django.db.models import Prefetch, prefetch_related_objects

    images, media = [], []
    for child in body:
        value = child.value
        if child.block_type == "image" and value["image"]:
            images.append(value["image"])
        elif child.block_type == "gallery":
            images.extend(item["image"] for item in value["images"] if item["image"])
        elif child.block_type in ("video", "audio") and value[child.block_type]:
            media.append(value[child.block_type])
    if media:
        prefetch_related_objects(media, "poster", "caption_tracks")
        images.extend(m.poster for m in media if m.poster)
    if images:
        renditions = images[0].renditions.model.objects
        prefetch_related_objects(images, Prefetch("renditions", queryset=renditions.all()))
    return images
