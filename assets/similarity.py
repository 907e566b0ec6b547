"""Pictures the archive already has: the same picture (its pixels, whatever
its file and metadata say) and similar ones (resized, recompressed, lightly
retouched), told by a 64-bit difference hash. Shown beside a picture and
in the uploader's form; never merged by themselves.

The hash is cut in eight bytes, each stored with its position in an
indexed table: two hashes at most SIMILAR_BITS apart share at least one
byte in its place (eight bytes, seven differing bits at most), so the look
-up reads the few pictures sharing a byte, not the archive."""

import hashlib

from django.db import transaction
from django.db.models import Q
from PIL import Image, ImageOps
from wagtail.utils.file import hash_filelike

from .models import ArchiveImage, ArchiveImageBand, Media, MediaFrameBand

SIMILAR_BITS = 7
BANDS = 8
MASK = (1 << 64) - 1
# A video is told by its scrubbing pictures (assets.transcoding): these
# many of them, evenly spread, are indexed; two videos are similar when
# this share of their pictures, matched by their place in the video, are.
SIGNATURE_FRAMES = 8
SIMILAR_SHARE = 0.75
# A flat picture (black, a title card's plain ground) hashes to almost all
# zeros or ones: it says nothing of which video it is from.
FLAT_BITS = 4


def difference_hash(picture):
    """dHash: a 9×8 grey thumbnail, each bit whether a pixel is brighter
    than its right neighbour. JPEGs are decoded at an eighth of their size
    (``draft``), enough for 9×8 and cheap enough for an upload's request."""
    picture.draft("L", (64, 64))
    grey = ImageOps.exif_transpose(picture).convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            bits = (bits << 1) | (pixels[row * 9 + column] > pixels[row * 9 + column + 1])
    return bits


def fingerprint_file(opened):
    """(difference hash, SHA-256 of the decoded pixels) of an open file."""
    with Image.open(opened) as picture:
        dhash = difference_hash(picture)
    opened.seek(0)
    with Image.open(opened) as picture:
        pixels = ImageOps.exif_transpose(picture).convert("RGB")
        digest = hashlib.sha256(f"{pixels.width}x{pixels.height}".encode())
        digest.update(pixels.tobytes())
    return dhash, digest.hexdigest()


def fingerprint(image):
    """Read and store the picture's hashes (the media worker, as it makes
    its renditions); nothing when they are there already."""
    if image.dhash is not None:
        return
    with image.open_file() as opened:
        dhash, pixels = fingerprint_file(opened)
        # Wagtail's forms read the file's hash; a picture saved otherwise
        # (the demo, a video's poster) gets it here.
        if not (file_hash := image.file_hash):
            opened.seek(0)
            file_hash = hash_filelike(opened)
    with transaction.atomic():
        if not ArchiveImage.locked(image.pk):
            return  # deleted meanwhile
        ArchiveImage.objects.filter(pk=image.pk).update(dhash=_signed(dhash), pixel_sha256=pixels, file_hash=file_hash)
        ArchiveImageBand.objects.filter(image=image).delete()
        ArchiveImageBand.objects.bulk_create(ArchiveImageBand(image=image, band=band, value=value) for band, value in enumerate(bands(dhash)))
    image.dhash, image.pixel_sha256, image.file_hash = _signed(dhash), pixels, file_hash


def bands(dhash):
    return [(dhash >> (8 * (BANDS - 1 - band))) & 0xFF for band in range(BANDS)]


def similar(dhash, exclude=None, limit=12):
    """Pictures whose hash is at most SIMILAR_BITS from ``dhash``, nearest
    first: [(picture, bits apart)]."""
    if dhash is None:
        return []
    dhash &= (1 << 64) - 1
    matching = Q()
    for band, value in enumerate(bands(dhash)):
        matching |= Q(band=band, value=value)
    candidates = ArchiveImageBand.objects.filter(matching)
    if exclude is not None:
        candidates = candidates.exclude(image_id=exclude)
    found = {}
    for pk, other in ArchiveImage.objects.filter(pk__in=candidates.values("image_id")).values_list("pk", "dhash"):
        apart = (dhash ^ (other & ((1 << 64) - 1))).bit_count()
        if apart <= SIMILAR_BITS:
            found[pk] = apart
    nearest = sorted(found, key=lambda pk: (found[pk], pk))[:limit]
    pictures = ArchiveImage.objects.in_bulk(nearest)
    return [(pictures[pk], found[pk]) for pk in nearest if pk in pictures]


def sprite_hashes(path, frames, columns, width, height):
    """The difference hashes of the first ``frames`` pictures of a
    scrubbing sprite (``columns`` a row, each ``width``×``height``)."""
    with Image.open(path) as sheet:
        sheet.load()
        return [
            difference_hash(sheet.crop((x, y, x + width, y + height)))
            for x, y in (((n % columns) * width, (n // columns) * height) for n in range(frames))
        ]


def index_frames(media_id, hashes):
    """Store a video's frame hashes and index its signature frames'."""
    rows = {(band, value) for dhash in _signature(hashes) for band, value in enumerate(bands(dhash))}
    with transaction.atomic():
        if not Media.locked(media_id):
            return  # deleted meanwhile
        Media.objects.filter(pk=media_id).update(frame_hashes=[_signed(h) for h in hashes])
        MediaFrameBand.objects.filter(media_id=media_id).delete()
        MediaFrameBand.objects.bulk_create(MediaFrameBand(media_id=media_id, band=band, value=value) for band, value in sorted(rows))


def similar_videos(item, limit=12):
    """Videos whose pictures are mostly within SIMILAR_BITS of ``item``'s,
    place by place, most alike first: [(video, share of pictures alike)]."""
    hashes = [h & MASK for h in item.frame_hashes or []]
    signature = _signature(hashes)
    if not signature:
        return []
    matching = Q()
    for dhash in signature:
        for band, value in enumerate(bands(dhash)):
            matching |= Q(band=band, value=value)
    candidates = MediaFrameBand.objects.filter(matching).exclude(media_id=item.pk).values("media_id")
    found = {}
    for pk, others in Media.objects.filter(pk__in=candidates).values_list("pk", "frame_hashes"):
        share = _aligned_share(hashes, [h & MASK for h in others or []])
        if share >= SIMILAR_SHARE:
            found[pk] = share
    nearest = sorted(found, key=lambda pk: (-found[pk], pk))[:limit]
    videos = Media.objects.select_related("collection").in_bulk(nearest)
    return [(videos[pk], found[pk]) for pk in nearest if pk in videos]


def _signature(hashes):
    telling = [h for h in hashes if FLAT_BITS <= h.bit_count() <= 64 - FLAT_BITS]
    if len(telling) <= SIGNATURE_FRAMES:
        return telling
    step = len(telling) / SIGNATURE_FRAMES
    return [telling[int(n * step)] for n in range(SIGNATURE_FRAMES)]


def _aligned_share(mine, theirs):
    """The share of ``mine`` within SIMILAR_BITS of the picture of
    ``theirs`` at the same place in its video."""
    if not mine or not theirs:
        return 0.0
    last_mine, last_theirs = max(len(mine) - 1, 1), len(theirs) - 1
    alike = sum(
        (dhash ^ theirs[round(n * last_theirs / last_mine)]).bit_count() <= SIMILAR_BITS for n, dhash in enumerate(mine)
    )
    return alike / len(mine)


def _signed(dhash):
    # PostgreSQL's bigint is signed: the top bit stored as the sign.
    return dhash - (1 << 64) if dhash >= 1 << 63 else dhash
