"""What a video or audio file is, read by the media worker: ffprobe fills
in the duration, the dimensions and the technical details, so nobody types
them; a file it cannot read is marked failed with the reason in words and
the tail of the tool's own message. Never in a request (an upload queues
``assets.tasks.process_media`` through the task outbox)."""

import hashlib
import math
import os
import subprocess
import tempfile
from array import array
from fractions import Fraction

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import relay

from . import ffmpeg, transcoding
from .ffmpeg import PROBE_SECONDS, Unreadable, local_path
from .models import ArchiveImage, Media, MediaPart

# A reading (ffprobe, the hash, the waveform, the poster) is done within
# its task's 15 minutes: one older than this died with its worker
# (assets.sweeping puts it back to waiting).
READING_LEASE_SECONDS = 1000
# A recording's waveform: this many bars, from its sound read at this rate.
WAVEFORM_BARS = 400
WAVEFORM_RATE = 2000


def probe(path):
    """ffprobe's reading of the file's container and streams."""
    return ffmpeg.probe(path, "-show_format", "-show_streams")


def details(info, kind):
    """From ffprobe's JSON, the item's fields and its technical details;
    Unreadable when the file lacks what its kind needs."""
    streams = info.get("streams") or []
    container = info.get("format") or {}
    # A recording's cover art is a "video" stream of one picture.
    video = next((s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if kind == Media.Kind.VIDEO and video is None:
        raise Unreadable(_("This file has no picture: add it as audio, or upload the video itself."))
    if kind == Media.Kind.AUDIO and audio is None:
        raise Unreadable(_("This file has no sound."))
    duration = _number(container.get("duration")) or _number((video or audio).get("duration"))
    if not duration:
        raise Unreadable(_("The file's length cannot be read: it may be cut short."))
    if duration > settings.MEDIA_MAX_MINUTES * 60:
        raise Unreadable(
            _("The file lasts %(minutes)s minutes, longer than the archive's limit of %(limit)s minutes: cut it first.")
            % {"minutes": math.ceil(duration / 60), "limit": settings.MEDIA_MAX_MINUTES}
        )
    fields = {"duration": round(duration, 3)}
    technical = {"container": container.get("format_name", ""), "bit_rate": _integer(container.get("bit_rate"))}
    tags = {key.lower(): value for key, value in (container.get("tags") or {}).items()}
    if tags.get("creation_time"):
        technical["created"] = tags["creation_time"]
    if tags.get("location"):  # ISO 6709, as phones write it
        technical["location"] = tags["location"]
    if video is not None:
        rotation = _rotation(video)
        width, height = video.get("width"), video.get("height")
        if rotation in (90, 270):
            width, height = height, width
        fields.update(width=width, height=height)
        technical.update(video_codec=video.get("codec_name", ""), frame_rate=_rate(video.get("avg_frame_rate")), rotation=rotation)
    if audio is not None:
        technical.update(
            audio_codec=audio.get("codec_name", ""), sample_rate=_integer(audio.get("sample_rate")), channels=audio.get("channels")
        )
    return fields, technical


def process_media(media_id):
    """Read the item's file and fill in what it says, then queue its
    outputs; returns the state reached (None when the item is gone or
    another file was put in meanwhile, left to its own task)."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None:
        return None
    # This worker's claim (the moment it took the item up) on a waiting
    # item; a reading whose worker died is put back to waiting by the sweep.
    claimed_at = timezone.now()
    waiting = Media.objects.filter(pk=media_id, file=media.file.name, state=Media.State.UPLOADED)
    if not waiting.update(state=Media.State.PROCESSING, failure="", outputs={}, worked_at=claimed_at):
        return None
    same_file = Media.objects.filter(pk=media_id, file=media.file.name, state=Media.State.PROCESSING, worked_at=claimed_at)
    try:
        # One local copy (object storage) for every tool that reads the file.
        with local_path(media.file) as path:
            fields, technical = details(probe(path), media.kind)
            fields["sha256"] = _sha256(path)
            if media.kind == Media.Kind.AUDIO:
                fields["waveform"] = _waveform(path, fields["duration"])
            if media.kind == Media.Kind.VIDEO and media.poster_id is None:
                chosen = media.poster_at if media.poster_at is not None and 0 <= media.poster_at <= fields["duration"] else None
                fields["poster"] = _poster(media, path, fields["duration"], moment=chosen)
    except Unreadable as error:
        failure = f"{error.reason}\n\n{error.log}".strip()
        same_file.update(state=Media.State.FAILED, failure=failure)
        return Media.State.FAILED
    except FileNotFoundError:
        same_file.update(state=Media.State.FAILED, failure=_("The file is missing from the archive's storage."))
        return Media.State.FAILED
    # Read: the versions for readers are made next (assets.transcoding),
    # queued in the same transaction, so an item never waits for nothing.
    with transaction.atomic():
        updated = same_file.update(state=Media.State.PROCESSING, failure="", technical={**technical, "file": media.file.name}, **fields)
        if updated:
            transcoding.start(Media.objects.get(pk=media_id))
    if not updated:
        if fields.get("poster"):  # another file came in meanwhile: its own task makes its poster
            fields["poster"].delete()
        return None
    return Media.State.PROCESSING


def _waveform(path, duration):
    """The loudest sample of each of WAVEFORM_BARS stretches of the
    recording, 0–100 of the loudest of all; empty when ffmpeg cannot read
    the sound (the item is still usable)."""
    command = [
        "ffmpeg", "-v", "error", "-nostdin", "-threads", "2", "-protocol_whitelist", "file",
        "-i", path, "-vn", "-ac", "1", "-ar", str(WAVEFORM_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "-",
    ]  # fmt: skip
    try:
        # Decoding runs far faster than real time; a minute covers hours.
        done = subprocess.run(command, capture_output=True, timeout=PROBE_SECONDS + duration / 20, check=True)
    except (subprocess.SubprocessError, OSError):
        return []
    samples = array("h")
    samples.frombytes(done.stdout[: len(done.stdout) // 2 * 2])
    if not samples:
        return []
    step = max(1, len(samples) / WAVEFORM_BARS)
    peaks = []
    for bar in range(min(WAVEFORM_BARS, len(samples))):
        stretch = samples[int(bar * step) : max(int((bar + 1) * step), int(bar * step) + 1)]
        peaks.append(max(max(stretch), -min(stretch)))
    loudest = max(peaks) or 1
    return [round(100 * peak / loudest) for peak in peaks]


def _poster(media, path, duration, moment=None):
    """A frame at ``moment`` (by default a tenth of the way in, at most five
    seconds: past the black of a fade-in, before the story starts), as an
    archive picture beside the video; None when ffmpeg cannot make one."""
    moment = min(duration * 0.1, 5.0) if moment is None else moment
    with tempfile.TemporaryDirectory() as folder:
        frame = os.path.join(folder, "poster.jpg")
        command = [
            "ffmpeg", "-v", "error", "-nostdin", "-threads", "2", "-protocol_whitelist", "file",
            "-ss", f"{moment:.3f}", "-i", path, "-frames:v", "1", "-vf", "scale='min(1920,iw)':-2", "-q:v", "3", frame,
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=PROBE_SECONDS, check=True)
            with open(frame, "rb") as made:
                image = ArchiveImage(
                    title=(_("Poster: %(title)s") % {"title": media.title})[:255],
                    collection=media.collection,
                    caption=media.caption,
                    credit=media.credit,
                    license=media.license,
                    uploaded_by_user=media.uploaded_by,
                    file=ImageFile(made, name=f"{os.path.splitext(os.path.basename(media.file.name))[0]}-poster.jpg"),
                )
                image.save()
        except (subprocess.SubprocessError, OSError):
            return None
    return image


def make_poster(media_id, file_name, moment):
    """The video's poster, made again from the frame at ``moment`` seconds
    an editor chose; the one it had stays in the archive. Returns the new
    picture, or None (the item gone, another file in it, no frame there)."""
    media = Media.objects.filter(pk=media_id, file=file_name, kind=Media.Kind.VIDEO).first()
    if media is None or not media.duration:
        return None
    with local_path(media.file) as path:
        poster = _poster(media, path, media.duration, moment=min(max(moment, 0.0), media.duration))
    if poster is None:
        return None
    if not Media.objects.filter(pk=media_id, file=file_name).update(poster=poster):
        poster.delete()
        return None
    return poster


def queue_poster(media):
    """After the caller's commit, the media worker makes the poster from
    the moment the editor chose (``media.poster_at``)."""
    relay.enqueue("assets.tasks.make_poster", media.pk, media.file.name, media.poster_at)


def queue_processing(media):
    """Send the item's file to the media worker (after the caller's
    commit), showing it as waiting meanwhile."""
    now = timezone.now()
    MediaPart.objects.filter(media=media).delete()
    Media.objects.filter(pk=media.pk).update(state=Media.State.UPLOADED, failure="", worked_at=now)
    media.state, media.failure, media.worked_at = Media.State.UPLOADED, "", now
    # By name: assets.tasks imports this module.
    relay.enqueue("assets.tasks.process_media", media.pk)


def needs_processing(media):
    """Whether the item's file is not the one last read."""
    return bool(media.file) and (media.technical or {}).get("file") != media.file.name


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _integer(value):
    number = _number(value)
    return int(number) if number else None


def _rate(value):
    try:
        rate = Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return round(float(rate), 3) if rate else None


def _rotation(stream):
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(side_data["rotation"]) % 360
    rotate = (stream.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if rotate else 0
