"""What a picture says about itself, read as it comes into the archive:
XMP first (Unicode, what photo desks and phones write today), then IPTC
IIM (agencies' pictures), then EXIF (cameras; Windows' UTF-16 XP tags
carry Vietnamese where the ASCII ones cannot). Only the file's headers are
read, never its pixels: cheap enough for the upload's request.

Gives a dict of what was found: title, caption, credit, source,
copyright, usage_terms, keywords, taken_at, latitude, longitude."""

import logging
import os
import re
from datetime import datetime

from django.utils import timezone
from PIL import ExifTags, Image, IptcImagePlugin, UnidentifiedImageError

logger = logging.getLogger(__name__)

# IPTC IIM datasets (record 2) by what they hold.
IIM = {
    "title": (2, 5),  # Object Name
    "headline": (2, 105),
    "caption": (2, 120),  # Caption/Abstract
    "byline": (2, 80),
    "credit": (2, 110),
    "source": (2, 115),
    "copyright": (2, 116),
    "keywords": (2, 25),
    "date": (2, 55),
    "time": (2, 60),
}
# Windows' own tags, UTF-16LE.
XP_TITLE, XP_COMMENT, XP_AUTHOR, XP_KEYWORDS = 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E


def read(field_file):
    """The picture's own metadata; {} when it has none or cannot be read."""
    try:
        field_file.seek(0)
        with Image.open(field_file) as picture:
            found = {}
            for reader in (_exif, _iptc, _xmp):  # later ones win
                try:
                    found.update({key: value for key, value in reader(picture).items() if value not in (None, "", [])})
                except Exception:  # a damaged block of metadata does not refuse the picture
                    logger.info("picture metadata: %s unreadable in %s", reader.__name__, getattr(field_file, "name", ""), exc_info=True)
            return found
    except (UnidentifiedImageError, OSError, ValueError):
        return {}
    finally:
        field_file.seek(0)


def _exif(picture):
    exif = picture.getexif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    found = {
        "caption": _xp(exif.get(XP_COMMENT)) or _ascii(exif.get(ExifTags.Base.ImageDescription)),
        "title": _xp(exif.get(XP_TITLE)),
        "credit": _xp(exif.get(XP_AUTHOR)) or _ascii(exif.get(ExifTags.Base.Artist)),
        "copyright": _ascii(exif.get(ExifTags.Base.Copyright)),
        "keywords": _split_keywords(_xp(exif.get(XP_KEYWORDS))),
        "taken_at": _exif_time(details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)),
    }
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps.get(ExifTags.GPS.GPSLatitude) and gps.get(ExifTags.GPS.GPSLongitude):
        found["latitude"] = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
        found["longitude"] = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    return found


def _iptc(picture):
    info = IptcImagePlugin.getiptcinfo(picture) or {}
    # Record 1, dataset 90: "ESC % G" says the texts are UTF-8; agencies'
    # older pictures without it are Latin-1.
    encoding = "utf-8" if info.get((1, 90), b"").startswith(b"\x1b%G") else "latin-1"

    def text(key):
        value = info.get(IIM[key])
        if isinstance(value, list):
            value = value[0]
        return value.decode(encoding, errors="replace").strip() if value else ""

    keywords = info.get(IIM["keywords"]) or []
    keywords = [keywords] if isinstance(keywords, bytes) else keywords
    return {
        "title": text("headline") or text("title"),
        "caption": text("caption"),
        "credit": text("byline"),
        "source": text("credit") or text("source"),
        "copyright": text("copyright"),
        "keywords": [word.decode(encoding, errors="replace").strip() for word in keywords if word.strip()],
        "taken_at": _iptc_time(text("date"), text("time")),
    }


def _xmp(picture):
    xmp = picture.getxmp()
    description = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", {})
    if isinstance(description, list):  # several rdf:Description blocks
        merged = {}
        for block in description:
            merged.update(block)
        description = merged
    found = {
        "title": _xmp_text(description.get("Headline")) or _xmp_text(description.get("title")),
        "caption": _xmp_text(description.get("description")),
        "credit": _xmp_text(description.get("creator")),
        "source": _xmp_text(description.get("Credit")) or _xmp_text(description.get("Source")),
        "copyright": _xmp_text(description.get("rights")),
        "usage_terms": _xmp_text(description.get("UsageTerms")),
        "keywords": _xmp_list(description.get("subject")),
        "taken_at": _iso_time(_xmp_text(description.get("DateCreated")) or _xmp_text(description.get("DateTimeOriginal"))),
    }
    latitude, longitude = _xmp_gps(description.get("GPSLatitude")), _xmp_gps(description.get("GPSLongitude"))
    if latitude is not None and longitude is not None:
        found.update(latitude=latitude, longitude=longitude)
    return found


# What fills a picture's own field, and how long the field is.
FIELDS = {"caption": None, "credit": 255, "source": 255, "copyright": 255, "usage_terms": None, "taken_at": None, "latitude": None, "longitude": None}


def fill_blanks(picture, found, file_name, typed=None):
    """Put what ``found`` says in the blank fields of a new ``picture``
    (``typed``: the form's values, which stand); the title too where it is
    only the file's name. Returns the keywords, for its tags."""
    typed = typed or {}
    title = (typed.get("title") or picture.title or "").strip()
    if found.get("title") and title in ("", os.path.splitext(os.path.basename(file_name))[0], os.path.basename(file_name)):
        picture.title = found["title"][:255]
        typed["title"] = picture.title
    for name, length in FIELDS.items():
        value = found.get(name)
        if value in (None, "") or typed.get(name) or getattr(picture, name, None):
            continue
        setattr(picture, name, value[:length] if length else value)
        typed[name] = getattr(picture, name)
    return [keyword[:100] for keyword in found.get("keywords", [])]


# --- values -------------------------------------------------------------------


def _xp(value):
    if isinstance(value, tuple):  # some writers store bytes as numbers
        value = bytes(value)
    if isinstance(value, bytes):
        return value.decode("utf-16-le", errors="replace").rstrip("\x00").strip()
    return ""


def _ascii(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    # Cameras pad with spaces or NULs; Pillow writes "?" for what ASCII lacks.
    return value.strip("\x00 ").strip() if isinstance(value, str) else ""


def _split_keywords(text):
    return [word.strip() for word in re.split(r"[;,]", text or "") if word.strip()]


def _xmp_text(value):
    """An XMP value as text: plain, a language alternative (x-default
    first), or the first of a sequence (a creator)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for container in ("Alt", "Seq", "Bag"):
            if container in value:
                items = value[container].get("li")
                items = items if isinstance(items, list) else [items]
                for item in items:
                    if isinstance(item, dict):
                        item = item.get("text", "")
                    if item:
                        return str(item).strip()
    return ""


def _xmp_list(value):
    if isinstance(value, dict):
        for container in ("Bag", "Seq"):
            if container in value:
                items = value[container].get("li")
                items = items if isinstance(items, list) else [items]
                return [str(item.get("text", "") if isinstance(item, dict) else item).strip() for item in items if item]
    return _split_keywords(value) if isinstance(value, str) else []


def _degrees(parts, reference, negative):
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    return round(-value if str(reference).upper().startswith(negative) else value, 6)


def _xmp_gps(value):
    # "10,46.614N": degrees, decimal minutes and a direction.
    found = re.fullmatch(r"(\d+),(\d+(?:\.\d+)?)([NSEW])", str(value or "").strip())
    if not found:
        return None
    number = int(found.group(1)) + float(found.group(2)) / 60
    return round(-number if found.group(3) in "SW" else number, 6)


def _exif_time(value):
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    # A camera's clock has no zone: the newsroom's.
    return timezone.make_aware(moment)


def _iptc_time(day, time):
    if not re.fullmatch(r"\d{8}", day or ""):
        return None
    clock = re.match(r"(\d{6})([+-]\d{4})?", time or "")
    stamp = f"{day}{clock.group(1) if clock else '000000'}"
    try:
        moment = datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    if clock and clock.group(2):
        return datetime.strptime(f"{stamp}{clock.group(2)}", "%Y%m%d%H%M%S%z")
    return timezone.make_aware(moment)


def _iso_time(value):
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
