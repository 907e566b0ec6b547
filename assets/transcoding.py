"""What the media worker makes of a video or recording once it is read
(``assets.processing``), for readers: a video gets a web MP4 (H.264/AAC,
up to 720p, index first), an HLS ladder never taller than the source, and
scrubbing pictures with their WebVTT index; a recording gets an MP3 and an
AAC file at the podcast loudness (EBU R128).

The work is cut in parts (``MediaPart``), each one task within the task
time limit whatever the recording's length: a video's picture in
stretches of MEDIA_CHUNK_SECONDS (each encoded once for the MP4 and every
rung), its sound in one go, its scrubbing pictures; then an assembly joins
them. The parts run side by side on however many media workers there are;
the last one done queues the assembly. A worker claims a part, reports how
far it is (the item's percentage is the parts' shares done), and loses it
once silent for MEDIA_PART_LEASE_SECONDS: the sweeper queues it again and
the next worker starts it afresh in the same place (``assets.sweeping``).

Nothing half-made is served: parts are written in a work folder and HLS
segments under names no playlist lists yet; the item names its outputs
(``Media.outputs``) only once the assembly has written them all."""

import json
import math
import os
import tempfile
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import relay

from . import ffmpeg, similarity
from .ffmpeg import Unreadable, copy_to, local_path
from .models import Media, MediaPart

OUTPUT_FOLDER = "media-out"
# The HLS ladder: (height, video kbit/s); rungs taller than the source are
# left out (never upscaled), the lowest is always made.
LADDER = ((360, 800), (720, 2800), (1080, 5000))
WEB_VIDEO = (720, 2000)
SOUND_KBITS = 128
HLS_SEGMENT_SECONDS = 6
# A key frame this often in every rung: segments cut at the same moments.
KEYFRAME_SECONDS = 2
# The scrubbing sprite: a picture this wide every few seconds, ten a row,
# at most SPRITE_FRAMES of them.
SPRITE_WIDTH = 160
SPRITE_COLUMNS = 10
SPRITE_FRAMES = 100
# Past this length the sprite reads key frames only (a four-hour video
# would otherwise be decoded in full for a hundred pictures).
SPRITE_KEYFRAMES_AFTER = 600
# EBU R128 at the podcast target (Apple, Spotify): integrated loudness,
# true peak, loudness range.
LOUDNESS_TARGET = (-16.0, -1.5, 11.0)
# Shares of the work beside a video's picture, per second of recording.
WEIGHTS = {"sound": 0.1, "sprite": 0.1, "assemble": 0.05}
ASSEMBLE = "assemble"
TASK = "assets.tasks.transcode_media"


class ClaimLost(Exception):
    """Another worker took the part over, or the item failed or changed."""


def plan(media):
    """The item's parts: {name: (start, seconds, weight)}."""
    duration = media.duration
    if media.kind == Media.Kind.AUDIO:
        return {"loudness": (0, duration, duration), ASSEMBLE: (0, duration, WEIGHTS["assemble"] * duration)}
    # Stretches end on segment boundaries, so the rungs' segments follow on.
    chunk = max(HLS_SEGMENT_SECONDS, settings.MEDIA_CHUNK_SECONDS // HLS_SEGMENT_SECONDS * HLS_SEGMENT_SECONDS)
    parts = {
        f"picture-{index:03d}": (start, min(chunk, duration - start), min(chunk, duration - start))
        for index, start in enumerate(range(0, math.ceil(duration), chunk))
        if duration - start > 0.001
    }
    if _has_sound(media):
        parts["sound"] = (0, duration, WEIGHTS["sound"] * duration)
    parts["sprite"] = (0, duration, WEIGHTS["sprite"] * duration)
    parts[ASSEMBLE] = (0, duration, WEIGHTS["assemble"] * duration)
    return parts


def start(media):
    """Queue every part of the item (in the caller's transaction, which has
    marked it as being processed); the assembly waits for the others. Each
    run writes to a folder of its own: a part of an earlier run still
    stopping never touches this one's files."""
    folder = f"{OUTPUT_FOLDER}/{media.pk}/{(media.sha256 or 'file')[:12]}-{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    MediaPart.objects.filter(media=media).delete()
    parts = MediaPart.objects.bulk_create(
        MediaPart(media=media, name=name, folder=folder, start=begin, seconds=seconds, weight=weight, queued_at=now)
        for name, (begin, seconds, weight) in plan(media).items()
    )
    transaction.on_commit(lambda: delete_outputs(media.pk, keep=folder))
    for part in parts:
        if part.name != ASSEMBLE:
            relay.enqueue(TASK, media.pk, media.file.name, part.name)


def make_part(media_id, file_name, name):
    """Make one part of the item, or join them (``name`` "assemble").
    Returns the state the item reached (None when there was nothing to do:
    the item gone, another file in it, the part done or another worker's)."""
    claim = uuid.uuid4().hex
    if not _claim(media_id, file_name, name, claim):
        return None
    part = MediaPart.objects.select_related("media").get(media_id=media_id, name=name)
    media = part.media
    heard = _heard(part, claim, file_name)
    try:
        if name == ASSEMBLE:
            outputs = _assemble(media, part, heard)
            return _finish_item(media, part, claim, file_name, outputs, _fingerprints(media))
        places = (f"{part.folder}/{_part_folder(name)}", f"{part.folder}/work/{name}")
        with local_path(media.file) as source, tempfile.TemporaryDirectory(prefix="hoitu-part-") as work:
            details = MAKERS[name.split("-", 1)[0]](media, source, work, part.start, part.seconds, heard)
            _store(work, *places, heard)
        return _finish_part(part, claim, file_name, details)
    except ClaimLost:
        _clean_up_if_abandoned(media_id, file_name, part)
        return None
    except (Unreadable, FileNotFoundError) as error:
        _fail(media_id, file_name, error, part.folder)
        return Media.State.FAILED


def _claim(media_id, file_name, name, claim):
    """This worker's claim on the part: waiting, or silent past its lease
    (the worker that had it is gone); the assembly once every part is done."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.MEDIA_PART_LEASE_SECONDS)
    parts = MediaPart.objects.filter(media_id=media_id, media__file=file_name, media__state=Media.State.PROCESSING, name=name)
    if name == ASSEMBLE and MediaPart.objects.filter(media_id=media_id).exclude(name=ASSEMBLE).exclude(state=MediaPart.State.DONE).exists():
        return False
    claimable = Q(state=MediaPart.State.QUEUED) | Q(state=MediaPart.State.RUNNING, heard_at__lt=stale)
    return bool(parts.filter(claimable).update(state=MediaPart.State.RUNNING, claim=claim, heard_at=now, done_fraction=0))


def _heard(part, claim, file_name):
    """``heard(fraction)``: the part is alive and this far; ClaimLost when
    it is no longer this worker's to make (stops ffmpeg)."""
    rows = MediaPart.objects.filter(pk=part.pk, claim=claim, media__file=file_name, media__state=Media.State.PROCESSING)

    def heard(fraction=None):
        changes = {"heard_at": timezone.now()}
        if fraction is not None:
            changes["done_fraction"] = min(max(fraction, 0.0), 1.0)
        if not rows.update(**changes):
            raise ClaimLost(part.name)

    return heard


def _finish_part(part, claim, file_name, details):
    with transaction.atomic():
        # The item's row, locked: parts finishing together queue the assembly once.
        media = Media.objects.select_for_update().filter(pk=part.media_id, file=file_name, state=Media.State.PROCESSING).first()
        done = media and MediaPart.objects.filter(pk=part.pk, claim=claim).update(state=MediaPart.State.DONE, done_fraction=1, details=details)
        if not done:
            raise ClaimLost(part.name)
        if not MediaPart.objects.filter(media_id=part.media_id).exclude(name=ASSEMBLE).exclude(state=MediaPart.State.DONE).exists():
            relay.enqueue(TASK, part.media_id, file_name, ASSEMBLE)
    return Media.State.PROCESSING


def _fingerprints(media):
    """What the parts read of the item's content: its decoded sound's
    SHA-256, its pictures' difference hashes."""
    details = {other.name: other.details for other in MediaPart.objects.filter(media=media).exclude(name=ASSEMBLE)}
    sound = details.get("sound") or details.get("loudness") or {}
    return {"sound_sha256": sound.get("sound_sha256", ""), "frames": (details.get("sprite") or {}).get("frames", [])}


def _finish_item(media, part, claim, file_name, outputs, fingerprints):
    with transaction.atomic():
        mine = MediaPart.objects.filter(pk=part.pk, claim=claim).update(state=MediaPart.State.DONE, done_fraction=1)
        if not mine or not Media.objects.filter(pk=media.pk, file=file_name, state=Media.State.PROCESSING).update(
            outputs=outputs, state=Media.State.READY, sound_sha256=fingerprints["sound_sha256"]
        ):
            raise ClaimLost(part.name)
        similarity.index_frames(media.pk, fingerprints["frames"])
        MediaPart.objects.filter(media=media).delete()
    # What only the assembly read: the MP4's pieces, the parts' own playlists.
    _delete_folder(f"{part.folder}/work")
    try:
        stretches, _files = default_storage.listdir(f"{part.folder}/hls")
    except FileNotFoundError:  # a recording has no ladder
        stretches = []
    for stretch in stretches:
        for name in default_storage.listdir(f"{part.folder}/hls/{stretch}")[1]:
            if name.endswith(".m3u8"):
                default_storage.delete(f"{part.folder}/hls/{stretch}/{name}")
    return Media.State.READY


def _clean_up_if_abandoned(media_id, file_name, part):
    """A part that stopped because the item failed, or holds another file
    or run now, takes its files with it; one taken over by another worker
    leaves them to it."""
    if MediaPart.objects.filter(pk=part.pk, folder=part.folder, media__file=file_name, media__state=Media.State.PROCESSING).exists():
        return
    if part.name != ASSEMBLE:
        _delete_folder(f"{part.folder}/{_part_folder(part.name)}")
    _delete_folder(f"{part.folder}/work/{part.name}")


def _fail(media_id, file_name, error, folder):
    reason = getattr(error, "reason", None) or _("The file is missing from the archive's storage.")
    failure = f"{reason}\n\n{getattr(error, 'log', '')}".strip()
    with transaction.atomic():
        if Media.objects.filter(pk=media_id, file=file_name, state=Media.State.PROCESSING).update(state=Media.State.FAILED, failure=failure):
            MediaPart.objects.filter(media_id=media_id).delete()
    # The run's files: its other parts stop at their next report.
    _delete_folder(folder)


# --- the parts: each makes its files in ``work`` and returns its details


def _picture(media, source, work, begin, seconds, report):
    """One stretch of the picture: the web MP4's piece and every rung's
    segments, from one decoding."""
    arguments, rungs = picture_arguments(media, source, work, begin, seconds)
    ffmpeg.run(arguments, seconds, report)
    return {"rungs": [height for height, _rate in rungs]}


def picture_arguments(media, source, work, begin, seconds):
    """ffmpeg's arguments for a stretch of the picture, and the rungs (also
    what ``make bench``'s plain ffmpeg run is given, bench/archive.py)."""
    rungs = ladder_for(_short_side(media))
    outputs = [(WEB_VIDEO[0], WEB_VIDEO[1])] + rungs
    split = f"[0:v]split={len(outputs)}" + "".join(f"[v{n}]" for n in range(len(outputs)))
    scales = [f"[v{n}]{_fit(height)}[out{n}]" for n, (height, _rate) in enumerate(outputs)]
    arguments = ["-ss", f"{begin:.3f}", "-t", f"{seconds:.3f}", "-i", source, "-filter_complex", ";".join([split, *scales])]
    arguments += ["-map", "[out0]", "-an", *_h264(WEB_VIDEO[1]), "-f", "mp4", os.path.join(work, "web.mp4")]
    for n, (height, rate) in enumerate(rungs, start=1):
        arguments += [
            "-map", f"[out{n}]", "-an", *_h264(rate), "-output_ts_offset", f"{begin:.3f}",
            "-f", "hls", "-hls_time", str(HLS_SEGMENT_SECONDS), "-hls_playlist_type", "vod",
            "-hls_segment_filename", os.path.join(work, f"{height}p_%03d.ts"), os.path.join(work, f"{height}p.m3u8"),
        ]  # fmt: skip
    return arguments, rungs


def _sound(media, source, work, begin, seconds, report):
    """A video's sound in one go (a joint between stretches would click):
    AAC for the MP4, and the same in segments for the ladder's audio."""
    sound = os.path.join(work, "sound.m4a")
    with tempfile.TemporaryDirectory(prefix="hoitu-hash-") as aside:
        digest = os.path.join(aside, "sound.sha256")
        ffmpeg.run(["-i", source, "-vn", "-map", "0:a:0", *_aac(), "-movflags", "+faststart", sound, *_sound_hash(digest)], seconds, report)
        sound_sha256 = _read_hash(digest)
    ffmpeg.run(
        ["-i", sound, "-c:a", "copy", "-f", "hls", "-hls_time", str(HLS_SEGMENT_SECONDS), "-hls_playlist_type", "vod",
         "-hls_segment_filename", os.path.join(work, "sound_%03d.ts"), os.path.join(work, "sound.m3u8")],
        seconds,
    )  # fmt: skip
    return {"sound_sha256": sound_sha256}


def _sprite(media, source, work, begin, seconds, report):
    """Small pictures every few seconds on one sheet, and the WebVTT file a
    player reads to show the one under the pointer while scrubbing."""
    every = max(1.0, math.ceil(media.duration / SPRITE_FRAMES))
    frames = max(1, math.ceil(media.duration / every))
    rows = math.ceil(frames / SPRITE_COLUMNS)
    width, height = SPRITE_WIDTH, 2 * round(SPRITE_WIDTH * (media.height or 9) / (media.width or 16) / 2)
    skip = ["-skip_frame", "nokey"] if media.duration > SPRITE_KEYFRAMES_AFTER else []
    ffmpeg.run(
        [*skip, "-i", source, "-an", "-vf", f"fps=1/{every:g},scale={width}:{height},tile={SPRITE_COLUMNS}x{rows}",
         "-frames:v", "1", "-q:v", "5", os.path.join(work, "sprite.jpg")],
        seconds, report,
    )  # fmt: skip
    cues = ["WEBVTT", ""]
    for n in range(frames):
        start, end = n * every, min((n + 1) * every, media.duration)
        x, y = (n % SPRITE_COLUMNS) * width, (n // SPRITE_COLUMNS) * height
        cues += [f"{_timestamp(start)} --> {_timestamp(end)}", f"sprite.jpg#xywh={x},{y},{width},{height}", ""]
    with open(os.path.join(work, "scrub.vtt"), "w", encoding="utf-8") as index:
        index.write("\n".join(cues))
    # The same pictures tell a copy of this video (assets.similarity).
    return {"every": every, "frames": similarity.sprite_hashes(os.path.join(work, "sprite.jpg"), frames, SPRITE_COLUMNS, width, height)}


def _loudness(media, source, work, begin, seconds, report):
    """EBU R128 in two passes: the recording's loudness measured, then one
    linear gain for both files (no pumping), to LOUDNESS_TARGET."""
    loudness, peak, spread = LOUDNESS_TARGET
    target = f"loudnorm=I={loudness}:TP={peak}:LRA={spread}"
    # loudnorm prints its measurement at the "info" level.
    with tempfile.TemporaryDirectory(prefix="hoitu-hash-") as aside:
        digest = os.path.join(aside, "sound.sha256")
        log = ffmpeg.run(
            ["-i", source, "-vn", "-af", f"{target}:print_format=json", "-f", "null", "-", *_sound_hash(digest)],
            seconds, lambda f: report(f / 5), "info",
        )  # fmt: skip
        sound_sha256 = _read_hash(digest)
    measured = _loudnorm_json(log)
    apply = (
        f"{target}:measured_I={measured['input_i']}:measured_TP={measured['input_tp']}:measured_LRA={measured['input_lra']}"
        f":measured_thresh={measured['input_thresh']}:offset={measured['target_offset']}:linear=true"
    )
    ffmpeg.run(
        ["-i", source, "-vn", "-af", apply, "-ar", "44100", "-c:a", "libmp3lame", "-b:a", f"{SOUND_KBITS}k", "-map_metadata", "-1",
         os.path.join(work, "listen.mp3"),
         "-vn", "-af", apply, "-ar", "44100", *_aac(), "-movflags", "+faststart", "-map_metadata", "-1", os.path.join(work, "listen.m4a")],
        seconds, lambda f: report(0.2 + 0.8 * f),
    )  # fmt: skip
    return {"measured": float(measured["input_i"]), "sound_sha256": sound_sha256}


MAKERS = {"picture": _picture, "sound": _sound, "sprite": _sprite, "loudness": _loudness}
# Files a part makes for the assembly only, kept in the item's work folder.
PIECES = {"web.mp4", "sound.m4a"}


def _part_folder(name):
    """Where a part's files for readers go: HLS segments straight where the
    ladder's playlists will name them (no playlist does before the
    assembly), the sprite and the recording's files in their own folders."""
    if name.startswith("picture-"):
        return f"hls/{name}"
    return {"sound": "hls/sound", "sprite": "sprite", "loudness": "sound"}[name]


# --- the assembly


def _assemble(media, part, heard):
    """Join the parts into what readers get: the outputs, once all written."""
    done = {other.name: other.details for other in MediaPart.objects.filter(media=media).exclude(name=ASSEMBLE)}
    if media.kind == Media.Kind.AUDIO:
        return _recording_outputs(part.folder, done)
    return _video_outputs(media, part.folder, done, heard)


def _video_outputs(media, folder, done, heard):
    parts = sorted(name for name in done if name.startswith("picture-"))
    rungs = done[parts[0]]["rungs"]
    has_sound = "sound" in done
    with tempfile.TemporaryDirectory(prefix="hoitu-assemble-") as work:
        pieces = []
        for name in parts:
            piece = os.path.join(work, f"{name}.mp4")
            _fetch(f"{folder}/work/{name}/web.mp4", piece)
            pieces.append(piece)
        listing = os.path.join(work, "pieces.txt")
        with open(listing, "w", encoding="utf-8") as index:
            index.writelines(f"file '{piece}'\n" for piece in pieces)
        arguments = ["-f", "concat", "-safe", "0", "-i", listing]
        if has_sound:
            sound = os.path.join(work, "sound.m4a")
            _fetch(f"{folder}/work/sound/sound.m4a", sound)
            arguments += ["-i", sound, "-map", "0:v:0", "-map", "1:a:0"]
        web = os.path.join(work, "web.mp4")
        ffmpeg.run([*arguments, "-c", "copy", "-movflags", "+faststart", web], media.duration, heard)
        _store_file(web, f"{folder}/web/web.mp4")
        heard()
        web_size = os.path.getsize(web)
        streams = []
        for height in rungs:
            lines, peak, size, seconds = [], 0, 0, 0.0
            for name in parts:
                for duration, segment in _segments(f"{folder}/hls/{name}/{height}p.m3u8"):
                    lines += [f"#EXTINF:{duration:.6f},", f"{name}/{segment}"]
                    bytes_ = default_storage.size(f"{folder}/hls/{name}/{segment}")
                    peak, size, seconds = max(peak, bytes_ * 8 / max(duration, 0.001)), size + bytes_, seconds + duration
            _write(f"{folder}/hls/{height}p.m3u8", _playlist(lines))
            first = next(line for line in lines if line.endswith(".ts"))
            streams.append((height, first, peak, size * 8 / max(seconds, 0.001)))
        sound_lines = []
        if has_sound:
            sound_lines = [line if line.startswith("#") else f"sound/{line}" for line in _media_lines(f"{folder}/hls/sound/sound.m3u8")]
            _write(f"{folder}/hls/sound.m3u8", _playlist(sound_lines))
        _write(f"{folder}/hls/master.m3u8", _master(folder, streams, has_sound, work))
    return {
        "web": {"path": f"{folder}/web/web.mp4", "size": web_size},
        "hls": {"path": f"{folder}/hls/master.m3u8", "rungs": rungs},
        "sprite": {"path": f"{folder}/sprite/sprite.jpg"},
        "scrub": {"path": f"{folder}/sprite/scrub.vtt", "every": done["sprite"]["every"]},
    }


def _recording_outputs(folder, done):
    level = {"measured": done["loudness"]["measured"], "target": LOUDNESS_TARGET[0]}
    return {
        name: {"path": f"{folder}/sound/{file_name}", "size": default_storage.size(f"{folder}/sound/{file_name}"), "loudness": level}
        for name, file_name in (("mp3", "listen.mp3"), ("aac", "listen.m4a"))
    }


def _master(folder, streams, has_sound, work):
    """The master playlist: each rung with its peak and average bit rate
    (from its segments), its size and codecs (read from its first segment)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if has_sound:
        name = _("Sound track")  # outside the f-string: makemessages cannot read one
        lines.append(f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="sound",NAME="{name}",DEFAULT=YES,AUTOSELECT=YES,URI="sound.m3u8"')
    sound_bits = SOUND_KBITS * 1000 if has_sound else 0
    for height, first, peak, average in streams:
        sample = os.path.join(work, f"{height}p-first.ts")
        _fetch(f"{folder}/hls/{first}", sample)
        picture = ffmpeg.probe(sample, "-show_streams")["streams"][0]
        codecs = _avc_codec(picture) + (',mp4a.40.2' if has_sound else "")
        attributes = (
            f"BANDWIDTH={math.ceil(peak) + sound_bits},AVERAGE-BANDWIDTH={math.ceil(average) + sound_bits},"
            f'RESOLUTION={picture["width"]}x{picture["height"]},CODECS="{codecs}"' + (',AUDIO="sound"' if has_sound else "")
        )
        lines += [f"#EXT-X-STREAM-INF:{attributes}", f"{height}p.m3u8"]
    return "\n".join(lines) + "\n"


def _avc_codec(stream):
    """RFC 6381's name for an H.264 stream: profile, constraints, level."""
    profile = {"Constrained Baseline": "42c0", "Baseline": "4200", "Main": "4d40", "High": "6400"}.get(stream.get("profile"), "6400")
    return f"avc1.{profile}{int(stream.get('level') or 40):02x}"


def _playlist(lines):
    durations = [float(line[8:].rstrip(",")) for line in lines if line.startswith("#EXTINF:")]
    head = [
        "#EXTM3U", "#EXT-X-VERSION:6", f"#EXT-X-TARGETDURATION:{math.ceil(max(durations, default=HLS_SEGMENT_SECONDS))}",
        "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-INDEPENDENT-SEGMENTS",
    ]  # fmt: skip
    return "\n".join([*head, *lines, "#EXT-X-ENDLIST"]) + "\n"


def _media_lines(path):
    """A part's playlist's segments and their durations, as lines."""
    lines = []
    for duration, segment in _segments(path):
        lines += [f"#EXTINF:{duration:.6f},", segment]
    return lines


def _segments(path):
    with default_storage.open(path, "rb") as playlist:
        text = playlist.read().decode()
    duration = None
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",", 1)[0])
        elif line and not line.startswith("#"):
            yield duration, line


# --- shared


def ladder_for(short_side):
    rungs = [(height, rate) for height, rate in LADDER if height <= short_side]
    return rungs or [(2 * (short_side // 2), LADDER[0][1])]


def _has_sound(media):
    return bool((media.technical or {}).get("audio_codec"))


def _aac():
    return ["-c:a", "aac", "-b:a", f"{SOUND_KBITS}k", "-ac", "2"]


def _h264(kbits):
    keyframes = f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})"
    return [
        "-c:v", "libx264", "-preset", settings.MEDIA_X264_PRESET, "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-b:v", f"{kbits}k", "-maxrate", f"{kbits * 3 // 2}k", "-bufsize", f"{kbits * 2}k",
        "-force_key_frames", keyframes, "-sc_threshold", "0",
    ]  # fmt: skip


def _fit(short_side):
    """Scale so the picture's short side is at most ``short_side`` (portrait
    or landscape), never up, both sides even."""
    return f"scale=w='if(gte(iw,ih),-2,min({short_side},trunc(iw/2)*2))':h='if(gte(iw,ih),min({short_side},trunc(ih/2)*2),-2)'"


def _short_side(media):
    return min(media.width or 0, media.height or 0) or LADDER[0][0]


def _sound_hash(path):
    """ffmpeg's output of the SHA-256 of the decoded sound (its samples as
    16-bit PCM): the same recording in another container, or with other
    tags, hashes the same."""
    return ["-map", "0:a:0", "-vn", "-f", "hash", "-hash", "sha256", path]


def _read_hash(path):
    with open(path, encoding="ascii") as written:
        return written.read().strip().partition("=")[2].lower()


def _timestamp(seconds):
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{rest:06.3f}"


def _loudnorm_json(log):
    start = log.rfind("{")
    try:
        return json.loads(log[start : log.index("}", start) + 1])
    except ValueError as error:
        raise Unreadable(_("The recording's loudness could not be measured."), log[-ffmpeg.LOG_TAIL :]) from error


# --- storage


def _store(work, folder, pieces, heard):
    """Every file of ``work`` into ``folder`` of the storage (PIECES into
    ``pieces``), both emptied first (a part taken up again); ``heard``
    after each, as copying to object storage takes a while."""
    _delete_folder(folder)
    _delete_folder(pieces)
    for name in sorted(os.listdir(work)):
        _store_file(os.path.join(work, name), f"{pieces if name in PIECES else folder}/{name}")
        heard()


def _store_file(path, name):
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(path, "rb") as made:
        saved = default_storage.save(name, File(made))
    if saved != name:  # the storage renamed it: someone else wrote there meanwhile
        raise OSError(f"{name} could not be written in place")


def _write(name, text):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".m3u8", delete=False) as made:
        made.write(text)
    try:
        _store_file(made.name, name)
    finally:
        os.unlink(made.name)


def _fetch(name, path):
    with open(path, "wb") as local:
        copy_to(default_storage, name, local)


def _delete_folder(folder):
    """Every file under ``folder`` (object storage has no folders to remove)."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in folders:
        _delete_folder(f"{folder}/{name}")


def delete_outputs(media_id, keep=None):
    """The item's outputs (it was deleted), or those of its earlier files
    (``keep``: the folder of the file it holds now)."""
    root = f"{OUTPUT_FOLDER}/{media_id}"
    try:
        versions, _files = default_storage.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return
    for version in versions:
        if f"{root}/{version}" != keep:
            _delete_folder(f"{root}/{version}")
