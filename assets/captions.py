"""Caption files of video and audio: WebVTT, the one format browsers play in
a ``<track>``, and SubRip (.srt), which editing tools export and which is
turned into WebVTT as it is read.

``read(data, name)`` parses the file strictly (a ``WEBVTT`` header, cues with
``-->`` timings; SubRip's numbered cues) and writes it again as clean
WebVTT: only the cues, their timing settings and the cue tags a browser
renders (b, i, u, v, c, lang, ruby, rt); no STYLE, REGION or NOTE blocks,
no other markup. Browsers show cue text as text, never as HTML; the file is
kept clean anyway, for every other reader of it. Whatever it cannot read
raises ``CaptionError`` with the reason in words."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .uploads import format_limit

MAX_BYTES = 2 * 1024 * 1024
EXTENSIONS = ("vtt", "srt")
# The cue tags browsers render in captions; any other tag is dropped.
CUE_TAGS = {"b", "i", "u", "v", "c", "lang", "ruby", "rt"}
# Cue settings of WebVTT; "region" is dropped with the REGION blocks.
CUE_SETTINGS = {"vertical", "line", "position", "size", "align"}

VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
VTT_TIMING = re.compile(rf"{VTT_TIME}[ \t]+-->[ \t]+{VTT_TIME}(?:[ \t]+(.*))?")
# SubRip as tools write it: a comma (or a point) before the milliseconds,
# which some write with fewer digits; coordinates after the times ignored.
SRT_TIME = r"(\d{1,3}):([0-5]?\d):([0-5]?\d)[,.](\d{1,3})"
SRT_TIMING = re.compile(rf"{SRT_TIME}[ \t]*-->[ \t]*{SRT_TIME}(?:[ \t].*)?")
TAG = re.compile(r"<(/?)([^\s.<>/]*)([^<>]*)>")
# SubRip files from subtitle editors carry Advanced SubStation overrides.
ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")
# Controls other than tab, line feed and carriage return: not text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CaptionError(ValueError):
    """Why a file cannot be used as captions, in words."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


@dataclass
class Cue:
    start: float
    end: float
    text: str
    identifier: str = ""
    settings: str = ""


@dataclass
class Captions:
    cues: list
    webvtt: str

    @property
    def end(self):
        """When the last caption leaves the screen, in seconds."""
        return max(cue.end for cue in self.cues)


def read(data, name):
    """The captions of the file ``name`` holding ``data`` (bytes), as clean
    WebVTT; raises CaptionError."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise CaptionError(_("only WebVTT (.vtt) and SubRip (.srt) files are accepted"))
    if len(data) > MAX_BYTES:
        raise CaptionError(_("it is larger than the %(limit)s limit for captions") % {"limit": format_limit(MAX_BYTES)})
    text = _decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].startswith("WEBVTT"):
        cues = _read_webvtt(lines)
    elif extension == "vtt":
        raise CaptionError(_("a WebVTT file begins with the line “WEBVTT”"))
    else:
        cues = _read_subrip(lines)
    if not cues:
        raise CaptionError(_("it holds no captions"))
    return Captions(cues=cues, webvtt=write(cues))


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise CaptionError(_("it is not text saved as UTF-8")) from error
    if CONTROL.search(text):
        raise CaptionError(_("it is not text saved as UTF-8"))
    return text


def _blocks(lines, first=0):
    """(line number, lines) of each run of lines between blank ones."""
    block, start = [], None
    for number, line in enumerate(lines[first:], start=first + 1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _read_webvtt(lines):
    header = lines[0]
    if header != "WEBVTT" and not header.startswith(("WEBVTT ", "WEBVTT\t")):
        raise CaptionError(_("a WebVTT file begins with the line “WEBVTT”"))
    # The header runs to the first blank line.
    first = next((index for index, line in enumerate(lines) if not line.strip()), len(lines))
    cues = []
    for number, block in _blocks(lines, first):
        keyword = block[0].split(None, 1)[0] if block[0].strip() else ""
        if keyword in ("NOTE", "STYLE", "REGION") and "-->" not in block[0]:
            continue  # comments, style sheets and regions: not kept
        identifier = ""
        if "-->" not in block[0]:
            identifier, block, number = block[0].strip(), block[1:], number + 1
        timing = VTT_TIMING.fullmatch(block[0].strip()) if block else None
        if not timing:
            raise CaptionError(
                _("line %(line)s is not a caption: a caption has a time such as “00:00:01.000 --> 00:00:04.000” followed by its text")
                % {"line": number}
            )
        groups = timing.groups()
        start, end = _seconds(*groups[0:4]), _seconds(*groups[4:8])
        cues.append(_cue(number, start, end, block[1:], identifier, _settings(groups[8] or "")))
    return cues


def _read_subrip(lines):
    cues = []
    for number, block in _blocks(lines):
        timing = SRT_TIMING.fullmatch(block[1].strip()) if len(block) > 1 and block[0].strip().isdigit() else None
        if not timing:
            raise CaptionError(
                _(
                    "line %(line)s is not a numbered caption: SubRip captions are a number, "
                    "a time such as “00:00:01,000 --> 00:00:04,000” and the text"
                )
                % {"line": number}
            )
        groups = timing.groups()
        start, end = _seconds(*groups[0:4]), _seconds(*groups[4:8])
        text = [ASS_OVERRIDE.sub("", line) for line in block[2:]]
        cues.append(_cue(number + 1, start, end, text, block[0].strip()))
    return cues


def _seconds(hours, minutes, seconds, fraction):
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")) / 1000


def _cue(number, start, end, text_lines, identifier="", settings=""):
    if end <= start:
        raise CaptionError(_("the caption at line %(line)s ends before it begins") % {"line": number})
    text = "\n".join(_clean_text(line) for line in text_lines)
    return Cue(start=start, end=end, text=text.strip("\n"), identifier=identifier.replace("-->", "→"), settings=settings)


def _settings(written):
    kept = []
    for setting in written.split():
        name, _sep, value = setting.partition(":")
        if name in CUE_SETTINGS and value and re.fullmatch(r"[\w.%,-]+", value):
            kept.append(f"{name}:{value}")
    return " ".join(kept)


def _clean_text(line):
    """One line of a cue's text with only the tags browsers render; a "<"
    that opens no tag, and an arrow, written so that no reader takes them
    for markup or a timing."""

    def tag(match):
        closing, name, annotation = match.groups()
        if name not in CUE_TAGS:
            return ""
        if closing:
            return f"</{name}>"
        # Classes (<c.yellow>) and an annotation (<v Roger>, <lang en>),
        # which only v and lang have.
        classes, _space, words = annotation.replace("\t", " ").partition(" ")
        classes = "".join(f".{part}" for part in classes.split(".") if re.fullmatch(r"[\w-]+", part))
        words = _escape(words.strip()) if name in ("v", "lang") else ""
        return f"<{name}{classes}{' ' + words if words else ''}>"

    pieces, last = [], 0
    for match in TAG.finditer(line):
        pieces.append(_escape(line[last : match.start()]))
        pieces.append(tag(match))
        last = match.end()
    pieces.append(_escape(line[last:]))
    return "".join(pieces).replace("-->", "--&gt;")


def _escape(text):
    # "&" kept where it starts a character reference (&amp; &nbsp; &#233;).
    text = re.sub(r"&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def timestamp(seconds):
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def write(cues):
    """The cues as a WebVTT file."""
    parts = ["WEBVTT", ""]
    for cue in cues:
        if cue.identifier:
            parts.append(cue.identifier)
        parts.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}{' ' + cue.settings if cue.settings else ''}")
        parts.extend([cue.text, ""] if cue.text else [""])
    return "\n".join(parts)
