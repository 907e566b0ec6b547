"""The vocabulary the demo content modules are written in: a story and the
body blocks it is made of, in plain Python so the Vietnamese text reads
like an article, not like StreamField JSON. seeding.py turns them into
pages, images and blocks."""

from dataclasses import dataclass

from assets.text import ascii_slug
from newsroom.models import ArticleFormat

STANDARD = ArticleFormat.STANDARD
LONGFORM = ArticleFormat.LONGFORM
PHOTO = ArticleFormat.PHOTO
VIDEO = ArticleFormat.VIDEO
PODCAST = ArticleFormat.PODCAST
INFOGRAPHIC = ArticleFormat.INFOGRAPHIC


@dataclass(frozen=True)
class Story:
    section: str  # section slug
    format: str
    kicker: str
    title: str
    sapo: str
    body: tuple  # str (a paragraph) or one of the blocks below
    tags: tuple
    authors: tuple  # byline slugs, in byline order
    age: float  # hours between publication and seeding
    art: str = ""  # artwork theme of the cover; default: the section's

    @property
    def slug(self):
        return ascii_slug(self.title)


@dataclass(frozen=True)
class Heading:
    text: str
    level: str = "h2"


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str = ""


@dataclass(frozen=True)
class FactBox:
    title: str
    items: tuple


@dataclass(frozen=True)
class Picture:
    """An illustration drawn for the story, shown in the body."""

    caption: str
    theme: str = ""
    layout: str = "wide"


@dataclass(frozen=True)
class Gallery:
    title: str
    pictures: tuple  # of (caption, theme)


@dataclass(frozen=True)
class Chart:
    title: str
    csv: str
    kind: str = "bar"
    source: str = "Số liệu minh họa – dữ liệu mẫu Hội Tụ"


@dataclass(frozen=True)
class Table:
    caption: str
    rows: tuple  # first row is the header


@dataclass(frozen=True)
class Video:
    caption: str


@dataclass(frozen=True)
class Audio:
    caption: str


@dataclass(frozen=True)
class Related:
    titles: tuple  # headlines of stories listed earlier in the same module
    title: str = "Đọc thêm"
