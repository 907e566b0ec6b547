from celery import shared_task

from . import processing, services, sweeping, transcoding, tus


@shared_task(ignore_result=True, acks_late=True, time_limit=600)
def generate_renditions(image_id, specs=None):
    """Make the renditions the public templates use (``specs``, else every
    one), so that no reader's request encodes a picture."""
    services.generate_renditions(image_id, specs)


# Reading a file to its end for its SHA-256: 20 GB at 50 MB/s is under
# seven minutes; ffprobe itself stops at a minute.
@shared_task(ignore_result=True, acks_late=True, time_limit=900)
def process_media(media_id):
    """Read a video or audio file just put in the archive: its duration,
    dimensions and technical details, or why it cannot be used."""
    processing.process_media(media_id)


# A part is a stretch of MEDIA_CHUNK_SECONDS of picture, or a whole
# recording's sound (minutes for hours): under the 30 minutes every task
# keeps to, and under the broker's hour, past which it would hand the
# task to a second worker. ffmpeg's own limit stops it first.
@shared_task(ignore_result=True, acks_late=True, time_limit=1500)
def transcode_media(media_id, file_name, part):
    """Make one part of what readers get of a video or recording (a stretch
    of the picture for the web MP4 and every HLS rung, the sound, the
    scrubbing pictures; a recording at podcast loudness), or join them
    (``part`` "assemble")."""
    transcoding.make_part(media_id, file_name, part)


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def make_poster(media_id, file_name, moment):
    """A video's poster made again from the moment an editor chose."""
    processing.make_poster(media_id, file_name, moment)


@shared_task(ignore_result=True, time_limit=120)
def resume_media_work():
    """Queue again the readings and parts a dead media worker left."""
    sweeping.resume_stalled()


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def delete_media_outputs(media_id):
    """A deleted item's outputs, off the storage."""
    transcoding.delete_outputs(media_id)


# Moving the received file into place is a rename on the same disk; a copy
# of up to RESUMABLE_UPLOAD_MAX_GB to object storage takes minutes.
@shared_task(ignore_result=True, acks_late=True, time_limit=1500)
def ingest_upload(upload_id):
    """Make the archive item of an upload from the field, once complete."""
    tus.ingest(upload_id)


@shared_task(ignore_result=True, time_limit=300)
def delete_expired_uploads():
    """Partial uploads nobody carried on with, past their expiry."""
    tus.delete_expired()
