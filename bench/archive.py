"""``python -m bench.archive``: the media archive's numbers (issue 14), on
a database of its own that it creates and drops.

- Conversion: a stretch of a 60 s 1080p clip (web MP4 and every HLS rung,
  assets.transcoding.picture_arguments) through the media worker's ffmpeg
  runner (progress read, watchdog, no network protocols) against the plain
  ``ffmpeg`` command with the same arguments on the same file, alternated.
- Similar pictures: p50 and p95 of ``assets.similarity.similar`` over
  N pictures' difference hashes (random, a near duplicate planted for half
  the look-ups), against a sequential scan of every hash in Python.
- Ingest: pictures a second through the path an upload from the field
  takes once complete (``assets.tus.ingest``: checked, metadata read,
  moved into the archive, saved; then the media worker's
  ``similarity.fingerprint``: pixel SHA-256 and dHash), generated JPEGs
  with EXIF, IPTC and XMP, against plain Pillow opening, decoding and
  saving the same files, alternated.
- Archive search: p50 and p95 of the admin's picture library search
  (``ArchiveImageIndexView``: the Wagtail search backend's autocomplete on
  the folded words, its count and first page) over the same N pictures
  with Vietnamese titles, captions and credits, queried without
  diacritics, as a unit's reporter.

Needs PostgreSQL (``BENCH_POSTGRES``, default the test server) and ffmpeg."""

import argparse
import io
import os
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("conversion", "ingest", "similar", "search")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.archive")
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--ingest", type=int, default=40, help="pictures ingested (and as many saved by plain Pillow)")
    parser.add_argument("--searches", type=int, default=15, help="rounds of the search queries")
    parser.add_argument("--part", action="append", choices=PARTS, help="run only these parts (repeatable; default all)")
    options = parser.parse_args(argv)
    parts = options.part or PARTS
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    name = f"hoitu_bench_archive_{os.getpid()}"
    os.environ.update(DATABASE_URL=f"{server}/{name}", DJANGO_SETTINGS_MODULE="hoitu.settings.dev")
    os.environ.pop("REDIS_URL", None)
    # Tasks the ingest queues (renditions) stay in this process, unsent: not
    # in the development queue under var/.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    sys.path.insert(0, str(ROOT))
    import psycopg  # noqa: PLC0415 -- after the environment is set, as Django's settings read it

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        import django  # noqa: PLC0415 -- configured by the environment above

        django.setup()
        from django.core.management import call_command  # noqa: PLC0415 -- Django is set up only now

        call_command("migrate", verbosity=0)
        print(f"load: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        if "conversion" in parts:
            conversion(options.rounds)
        if "ingest" in parts:
            ingest(options.ingest)
        if "similar" in parts:
            similar_pictures(options.pictures, options.lookups)
        if "search" in parts:
            archive_search(options.pictures, options.searches)
    finally:
        from django.db import connections  # noqa: PLC0415 -- Django is set up only now

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def conversion(rounds):
    from django.conf import settings  # noqa: PLC0415 -- Django is set up only now

    from assets import ffmpeg, transcoding  # noqa: PLC0415 -- Django is set up only now

    with tempfile.TemporaryDirectory() as folder:
        clip = os.path.join(folder, "clip.mp4")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=60", "-f", "lavfi",
             "-i", "sine=frequency=440:duration=60", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", clip],
            check=True,
        )  # fmt: skip
        media = SimpleNamespace(width=1920, height=1080)
        ours, plain = [], []
        for _round in range(rounds):
            for times, run in ((ours, _ours), (plain, _plain)):
                with tempfile.TemporaryDirectory(dir=folder) as work:
                    arguments, _rungs = transcoding.picture_arguments(media, clip, work, 0, 60)
                    started = time.perf_counter()
                    run(ffmpeg, arguments, settings)
                    times.append(time.perf_counter() - started)
        print(
            f"conversion, 60 s 1080p to a 720p MP4 and 360/720/1080p HLS ({settings.MEDIA_X264_PRESET}, {settings.MEDIA_FFMPEG_THREADS} threads): "
            f"worker {statistics.median(ours):.1f} s, plain ffmpeg {statistics.median(plain):.1f} s, "
            f"ratio {statistics.median(ours) / statistics.median(plain):.3f} (rounds {rounds}: {[round(t, 1) for t in ours]} vs {[round(t, 1) for t in plain]})"
        )


def _ours(ffmpeg, arguments, settings):
    ffmpeg.run(arguments, 60, lambda fraction: None)


def _plain(ffmpeg, arguments, settings):
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "warning", "-y", "-threads", str(settings.MEDIA_FFMPEG_THREADS), *arguments], check=True)


def similar_pictures(count, lookups):
    from assets import similarity  # noqa: PLC0415 -- Django is set up only now
    from assets.models import ArchiveImage  # noqa: PLC0415 -- Django is set up only now

    chance = random.Random(14)
    started = time.perf_counter()
    hashes = _store_pictures(count)
    from django.db import connection  # noqa: PLC0415 -- Django is set up only now

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_archiveimage, assets_archiveimageband")
    print(f"similar pictures: {count:,} hashes stored in {time.perf_counter() - started:.0f} s")
    targets = [hashes[chance.randrange(count)] ^ (0b101 if n % 2 else 0) for n in range(lookups)]
    indexed, scanned, found = [], [], 0
    every = list(ArchiveImage.objects.values_list("dhash", flat=True))
    for target in targets:
        started = time.perf_counter()
        found += bool(similarity.similar(target))
        indexed.append(time.perf_counter() - started)
        started = time.perf_counter()
        [other for other in every if (target ^ (other & (1 << 64) - 1)).bit_count() <= similarity.SIMILAR_BITS]
        scanned.append(time.perf_counter() - started)
    p50, p95 = statistics.median(indexed) * 1000, statistics.quantiles(indexed, n=20)[-1] * 1000
    print(
        f"similar pictures at {count:,}: look-up p50 {p50:.1f} ms, p95 {p95:.1f} ms (found {found} of {lookups}); "
        f"a scan of every hash in memory p50 {statistics.median(scanned) * 1000:.1f} ms"
    )



# --- the pictures the look-ups and searches run over ---------------------------------

PLACES = ["Hà Nội", "Lâm Đồng", "Đà Nẵng", "Huế", "Cần Thơ", "Quảng Ninh", "Nghệ An", "Đắk Lắk", "Hải Phòng", "Thành phố Hồ Chí Minh"]
SUBJECTS = [
    "Lũ quét", "Đường sắt tốc độ cao", "Hội nghị Trung ương", "Nông dân thu hoạch lúa", "Pháo hoa", "Cầu Rồng", "Giao thông giờ cao điểm",
    "Tết Nguyên đán", "Bão số 3", "Sạt lở đất", "Lễ hội đền Hùng", "Học sinh khai giảng", "Bệnh viện tuyến huyện", "Chợ nổi",
    "Công nhân khu công nghiệp", "Cà phê Tây Nguyên", "Đội tuyển bóng đá", "Mưa lớn", "Cháy rừng", "Xuất khẩu gạo",
]
ACTIONS = ["gây thiệt hại", "khai mạc", "thông xe", "được mùa", "rực rỡ", "ùn tắc", "đón khách", "chuẩn bị", "ảnh hưởng", "diễn ra"]
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà", "Vũ Đức Thắng", "Đặng Ngọc Lan", "Bùi Xuân Phúc"]
AGENCIES = ["TTXVN", "Báo Nhân Dân", "VnExpress", "Tuổi Trẻ", "Thanh Niên", "Báo Lâm Đồng"]
# Typed without diacritics, as people search: common words, a person, a
# place, a rare combination and a word in no picture.
QUERIES = [
    "lu quet", "duong sat", "hoi nghi trung uong", "lam dong", "nguyen van an", "phao hoa cau rong", "tet", "sat lo dat nghe an", "ttxvn",
    "khong co anh nao",
]  # fmt: skip


def _picture_text(chance):
    subject, place = chance.choice(SUBJECTS), chance.choice(PLACES)
    title = f"{subject} {chance.choice(ACTIONS)} ở {place}"
    caption = f"{title}. {chance.choice(SUBJECTS)} tại {chance.choice(PLACES)}, ngày {chance.randint(1, 28)}/{chance.randint(1, 12)}."
    return title, caption, chance.choice(PEOPLE), chance.choice(AGENCIES)


def _store_pictures(count):
    """``count`` pictures in ten collections, each with a difference hash
    (its bands indexed) and Vietnamese words: their hashes. Once a run."""
    from wagtail.models import Collection  # noqa: PLC0415 -- Django is set up only now

    from assets import similarity  # noqa: PLC0415 -- Django is set up only now
    from assets.models import ArchiveImage, ArchiveImageBand  # noqa: PLC0415 -- Django is set up only now

    chance = random.Random(14)
    hashes = [chance.getrandbits(64) for _ in range(count)]
    if ArchiveImage.objects.filter(title__startswith="bench ").count() >= count:
        return hashes
    root = Collection.get_first_root_node()
    collections = [root.get_children().filter(name=f"Đơn vị {n}").first() or root.add_child(name=f"Đơn vị {n}") for n in range(10)]
    batch = 5000
    for first in range(0, count, batch):
        rows = []
        for n in range(first, min(first + batch, count)):
            title, caption, credit, source = _picture_text(chance)
            rows.append(ArchiveImage(
                title=f"bench {title}"[:255], caption=caption, credit=credit, source=source, file=f"original_images/{n}.jpg", width=1, height=1,
                dhash=similarity._signed(hashes[n]), collection=collections[n % len(collections)],
            ))  # fmt: skip
        pictures = ArchiveImage.objects.bulk_create(rows)
        ArchiveImageBand.objects.bulk_create(
            ArchiveImageBand(image=picture, band=band, value=value)
            for picture, n in zip(pictures, range(first, first + len(pictures)), strict=True)
            for band, value in enumerate(similarity.bands(hashes[n]))
        )
    return hashes


def _reporter():
    """A unit's reporter as the roles make one (workflows.roles): adds to
    the unit's collection, chooses from the whole archive."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 -- Django is set up only now
    from django.contrib.auth.models import Group, Permission  # noqa: PLC0415 -- Django is set up only now
    from wagtail.models import Collection, GroupCollectionPermission  # noqa: PLC0415 -- Django is set up only now

    person = get_user_model().objects.filter(username="bench.reporter").first()
    if person is not None:
        return person
    root = Collection.get_first_root_node()
    unit = root.get_children().filter(name="Đơn vị 0").first() or root.add_child(name="Đơn vị 0")
    group = Group.objects.create(name="Bench – Phóng viên")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for collection, codename in ((unit, "add_image"), (root, "choose_image")):
        GroupCollectionPermission.objects.create(
            group=group, collection=collection, permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        )
    person = get_user_model().objects.create_user("bench.reporter", password=None)
    person.groups.add(group)
    return person


# --- ingest ----------------------------------------------------------------------------


def _press_photo(n, size=(2400, 1600)):
    """A JPEG as an agency sends it: a photograph-like picture (smooth
    noise, not a flat colour), quality 90, the camera's EXIF (Vietnamese in
    the Windows tags, date taken, GPS), an agency's IPTC and XMP."""
    chance = random.Random(n)
    coarse = Image.frombytes("RGB", (size[0] // 16, size[1] // 16), chance.randbytes(size[0] // 16 * size[1] // 16 * 3))
    picture = coarse.resize(size, Image.Resampling.BICUBIC)
    title, caption, credit, source = _picture_text(chance)
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van An"
    exif[0x9C9D] = f"{credit}\x00".encode("utf-16-le")
    exif[0x9C9C] = f"{caption}\x00".encode("utf-16-le")
    exif[0x9C9E] = "thời sự;ảnh báo chí\x00".encode("utf-16-le")
    exif[0x8298] = source
    exif.get_ifd(0x8769)[0x9003] = "2026:11:28 20:15:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (11.0, 56.0, 24.0), 3: "E", 4: (108.0, 26.0, 31.0)})
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt></dc:description>'
        f"<dc:creator><rdf:Seq><rdf:li>{credit}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif, xmp=xmp.encode())
    data = out.getvalue()
    iptc = [((1, 90), b"\x1b%G"), ((2, 105), title.encode()), ((2, 120), caption.encode()), ((2, 80), credit.encode()), ((2, 110), source.encode()),
            ((2, 25), "thời sự".encode()), ((2, 55), b"20261128")]  # fmt: skip
    iim = b"".join(b"\x1c" + bytes(key) + struct.pack(">H", len(value)) + value for key, value in iptc)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    body = b"Photoshop 3.0\x00" + resource
    return data[:2] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + data[2:]


def ingest(count):
    from django.test import override_settings  # noqa: PLC0415 -- Django is set up only now
    from django.utils import timezone  # noqa: PLC0415 -- Django is set up only now

    from assets import similarity, tus  # noqa: PLC0415 -- Django is set up only now
    from assets.models import ResumableUpload  # noqa: PLC0415 -- Django is set up only now

    person = _reporter()
    photos = [_press_photo(n) for n in range(count + 2)]
    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder, RESUMABLE_UPLOAD_DIR=Path(folder) / "uploads"):
        Path(folder, "uploads").mkdir()
        ours, plain, filled = [], [], 0
        for n, data in enumerate(photos):
            # The bytes as tus leaves them once complete (not timed: they came over the network).
            upload = ResumableUpload.objects.create(
                owner=person, filename=f"IMG_{n:04}.jpg", length=len(data), offset=len(data), state=ResumableUpload.State.COMPLETE,
                expires_at=timezone.now() + timedelta(hours=1),
            )  # fmt: skip
            upload.part_path.write_bytes(data)
            source = Path(folder, f"plain-{n}.jpg")
            source.write_bytes(data)
            started = time.perf_counter()
            picture = tus.ingest(upload.pk)
            similarity.fingerprint(picture)
            took = time.perf_counter() - started
            started = time.perf_counter()
            with Image.open(source) as opened:
                opened.load()
                opened.save(Path(folder, f"plain-{n}-saved.jpg"), "JPEG", quality=85)
            plain_took = time.perf_counter() - started
            if n < 2:  # warming up: imports, first queries
                continue
            ours.append(took)
            plain.append(plain_took)
            filled += bool(picture.credit and picture.caption and picture.pixel_sha256 and picture.dhash is not None and picture.file_hash)
    megapixels = picture.width * picture.height / 1e6
    size = statistics.median(len(data) for data in photos) / 1e6
    print(
        f"ingest, {count} JPEGs of {picture.width}x{picture.height} ({megapixels:.1f} MP, {size:.1f} MB, EXIF+IPTC+XMP): "
        f"{count / sum(ours):.2f} pictures/s ({statistics.median(ours) * 1000:.0f} ms each, metadata and hashes in {filled} of {count}); "
        f"plain Pillow open+decode+save {count / sum(plain):.2f}/s ({statistics.median(plain) * 1000:.0f} ms); "
        f"ratio {statistics.median(ours) / statistics.median(plain):.2f}"
    )


# --- archive search ----------------------------------------------------------------------


def archive_search(count, rounds):
    from django.db import connection  # noqa: PLC0415 -- Django is set up only now
    from django.test import RequestFactory  # noqa: PLC0415 -- Django is set up only now
    from modelsearch.backends import get_search_backend  # noqa: PLC0415 -- Django is set up only now

    from assets.models import ArchiveImage  # noqa: PLC0415 -- Django is set up only now
    from assets.views import ArchiveImageIndexView  # noqa: PLC0415 -- Django is set up only now

    started = time.perf_counter()
    _store_pictures(count)
    backend = get_search_backend()
    # As update_index reads them: the tags prefetched, not one query a picture.
    pictures = ArchiveImage.get_indexed_objects().filter(title__startswith="bench ").order_by("pk")
    last = 0
    while batch := list(pictures.filter(pk__gt=last)[:5000]):
        backend.add_bulk(ArchiveImage, batch)
        last = batch[-1].pk
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"archive search: {count:,} pictures stored and indexed in {time.perf_counter() - started:.0f} s ({connection.vendor})")
    person = _reporter()
    factory = RequestFactory()
    times, found = {query: [] for query in QUERIES}, {}
    for _round in range(rounds + 1):
        for query in QUERIES:
            request = factory.get("/admin/images/results/", {"q": query})
            request.user = person
            view = ArchiveImageIndexView(results_only=True)
            view.setup(request)
            started = time.perf_counter()
            # What the view's get() does before rendering: the search, its
            # count, the first page's rows, their renditions and rights.
            view.object_list = view.get_queryset()
            context = view.get_context_data()
            rows = list(context["object_list"])
            took = time.perf_counter() - started
            if _round:  # the first round warms the caches
                times[query].append(took)
            found[query] = context["paginator"].count if context.get("paginator") else len(rows)
    every = [took for query in QUERIES for took in times[query]]
    p50, p95 = statistics.median(every) * 1000, statistics.quantiles(every, n=20)[-1] * 1000
    per_query = ", ".join(f"“{query}” {statistics.median(times[query]) * 1000:.0f} ms ({found[query]:,})" for query in QUERIES)
    print(f"archive search at {count:,}: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(every)} searches; per query (matches): {per_query}")


if __name__ == "__main__":
    main()
