"""seed_bench: seed a benchmark unit with many articles, fast. The
benchmark's own command, not an app's: ``python -m bench.inside seed
--articles 20000`` runs it, as the bench harness does.

Wagtail's ``add_child`` costs several queries and a search/reference-index
update per page, which makes 20,000 articles take tens of minutes. Here the
article pages are bulk-inserted with correct treebeard materialised paths:
first the ``wagtailcore_page`` rows, then the ``newsroom_articlepage`` rows
that extend them (Django's ``bulk_create`` refuses multi-table-inherited
models), all inside one transaction.

Public search's words are written with each batch from the text just
generated: on PostgreSQL the stories' StorySearchEntry rows (their GIN index
dropped during the load and built once after it, which is several times
faster at a million rows), on SQLite Wagtail's FTS5 index. Deliberately
skipped, since no reader-facing page needs them: Wagtail's own search index
on PostgreSQL (admin search), its reference index, and page revisions (the
pages are live without a revision, as pages imported by other means are;
editing one in the admin starts its history).
"""

import io
import os
import random
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw
from taggit.models import Tag
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from assets.models import ArchiveImage
from assets.text import ascii_slug, reading_minutes, word_count
from newsroom import cache
from newsroom.models import ArticleAuthor, ArticlePage, ArticlePageTag, Author, HomePage, SectionPage, StorySearchEntry, Unit
from newsroom.models.search import WORDS_INDEX
from newsroom.search import weighted_words

BATCH_SIZE = 1000
PUBLISHED_SPAN = timedelta(days=365)

SECTIONS = [
    ("Thời sự", "Tin tức chính trị, xã hội trong nước."),
    ("Kinh tế", "Kinh tế vĩ mô, doanh nghiệp và thị trường."),
    ("Tài chính", "Ngân sách, thuế, ngân hàng và bảo hiểm."),
    ("Chứng khoán", "Diễn biến thị trường vốn và trái phiếu."),
    ("Bất động sản", "Thị trường nhà đất, hạ tầng và quy hoạch."),
    ("Xã hội", "Giáo dục, y tế, lao động và việc làm."),
    ("Thế giới", "Kinh tế và thời sự quốc tế."),
    ("Công nghệ", "Chuyển đổi số và đổi mới sáng tạo."),
]

TITLE_SUBJECTS = [
    "Bộ Tài chính",
    "Ngân hàng Nhà nước",
    "Đường sắt tốc độ cao Bắc – Nam",
    "Thị trường chứng khoán",
    "Xuất khẩu nông sản",
    "Giá xăng dầu",
    "Kho bạc Nhà nước",
    "Thuế thu nhập cá nhân",
    "Tỉnh Nam Định",
    "Hà Nội",
    "TP Hồ Chí Minh",
    "Doanh nghiệp nhỏ và vừa",
    "Chuyển đổi số báo chí",
    "Giải ngân vốn đầu tư công",
    "Thị trường vàng",
    "Trái phiếu doanh nghiệp",
    "Cảng biển Hải Phòng",
    "Du lịch nội địa",
    "Giá lúa gạo",
    "Ngân sách nhà nước",
    "Dịch vụ công trực tuyến",
    "Bảo hiểm xã hội",
    "Kinh tế tư nhân",
    "Năng lượng tái tạo",
]

TITLE_PREDICATES = [
    "đặt mục tiêu tăng trưởng hai con số",
    "chuẩn bị cho giai đoạn bứt phá mới",
    "được tháo gỡ vướng mắc về thủ tục",
    "ghi nhận kết quả tích cực sau chín tháng",
    "đứng trước áp lực cạnh tranh ngày càng lớn",
    "cần cơ chế đặc thù để phát triển",
    "thu hút mạnh dòng vốn nước ngoài",
    "siết chặt kỷ cương, minh bạch thông tin",
    "hướng tới chuẩn mực quốc tế",
    "lập kỷ lục mới về quy mô",
    "đẩy nhanh tiến độ trước mùa cao điểm",
    "kỳ vọng vào làn sóng đầu tư mới",
    "gặp khó vì chi phí đầu vào tăng",
    "mở rộng thí điểm trên toàn quốc",
    "được đề xuất sửa đổi toàn diện",
    "tìm lời giải cho bài toán nguồn nhân lực",
    "ứng dụng trí tuệ nhân tạo vào vận hành",
    "cán mốc quan trọng trong năm nay",
]

KICKERS = ["", "", "Phân tích", "Góc nhìn", "Điểm nóng", "Sự kiện", "Phỏng vấn", "Kinh tế số"]

SENTENCES = [
    "Theo báo cáo mới nhất, tổng thu ngân sách nhà nước trong chín tháng đầu năm ước đạt gần 85% dự toán, tăng hơn 10% so với cùng kỳ.",
    "Các chuyên gia nhận định đây là tín hiệu tích cực cho thấy sức chống chịu của nền kinh tế trước những biến động khó lường của thị trường thế giới.",
    "Tuy vậy, tiến độ giải ngân vốn đầu tư công tại nhiều bộ, ngành và địa phương vẫn chậm, chưa tạo được động lực đủ mạnh cho tăng trưởng.",
    "Đại diện cơ quan quản lý cho biết sẽ tiếp tục rà soát, tháo gỡ vướng mắc về thủ tục đất đai, giải phóng mặt bằng và nguồn vật liệu xây dựng.",
    "Nhiều doanh nghiệp cho rằng chi phí logistics cao vẫn là rào cản lớn khiến hàng hóa Việt Nam khó cạnh tranh về giá tại các thị trường xuất khẩu.",
    "Trong bối cảnh lãi suất dần hạ nhiệt, dòng tiền đang có dấu hiệu quay trở lại các kênh đầu tư như chứng khoán và bất động sản.",
    "Người dân và doanh nghiệp giờ đây có thể thực hiện hầu hết thủ tục thuế trên môi trường điện tử, tiết kiệm đáng kể thời gian và chi phí.",
    "Theo kế hoạch, đến năm 2030, toàn bộ các cơ quan báo chí sẽ vận hành theo mô hình tòa soạn hội tụ, sản xuất nội dung đa nền tảng.",
    "Ủy ban nhân dân tỉnh đã yêu cầu các sở, ngành khẩn trương hoàn thiện hồ sơ, bảo đảm tiến độ khởi công dự án trước cuối năm.",
    "Giá lúa gạo tại Đồng bằng sông Cửu Long tiếp tục ổn định ở mức cao, giúp nông dân có lãi sau nhiều vụ sản xuất khó khăn.",
    "Theo số liệu của Tổng cục Thống kê, chỉ số giá tiêu dùng bình quân tăng khoảng 3,5%, nằm trong mục tiêu Quốc hội đề ra.",
    "Nhiều ý kiến đề nghị cần có cơ chế đặc thù để thu hút nhà đầu tư tư nhân tham gia vào các dự án hạ tầng giao thông quy mô lớn.",
    "Ngân hàng Nhà nước khẳng định sẽ điều hành chính sách tiền tệ chủ động, linh hoạt, phối hợp chặt chẽ với chính sách tài khóa.",
    "Thị trường chứng khoán chứng kiến phiên giao dịch sôi động với thanh khoản vượt 25.000 tỷ đồng, khối ngoại quay lại mua ròng.",
    "Dự án đường sắt tốc độ cao Bắc – Nam được kỳ vọng sẽ rút ngắn thời gian di chuyển giữa Hà Nội và TP Hồ Chí Minh xuống còn khoảng năm giờ.",
    "Các địa phương ven biển đang đẩy mạnh đầu tư cảng biển, trung tâm logistics nhằm đón đầu làn sóng dịch chuyển chuỗi cung ứng.",
    "Lãnh đạo doanh nghiệp cho biết đơn hàng xuất khẩu quý IV đã kín đến hết tháng Mười hai, nhiều nhà máy phải tuyển thêm lao động.",
    "Việc ứng dụng trí tuệ nhân tạo trong phân tích dữ liệu giúp tòa soạn nắm bắt nhanh hơn nhu cầu và thói quen đọc của độc giả.",
    "Cơ quan thuế đã phối hợp với các sàn thương mại điện tử để quản lý doanh thu của hàng trăm nghìn hộ kinh doanh trực tuyến.",
    "Bảo hiểm xã hội Việt Nam cho biết số người tham gia bảo hiểm xã hội tự nguyện tăng mạnh, đặc biệt ở khu vực nông thôn.",
    "Giới phân tích lưu ý rủi ro từ biến động tỷ giá và giá năng lượng thế giới vẫn cần được theo dõi sát sao trong những tháng tới.",
    "Chính quyền thành phố cam kết tạo mọi điều kiện thuận lợi để doanh nghiệp khởi nghiệp sáng tạo tiếp cận vốn và mặt bằng sản xuất.",
    "Theo các chuyên gia, để phát triển bền vững, cần chuyển dịch mạnh từ tăng trưởng theo chiều rộng sang tăng trưởng dựa trên năng suất.",
    "Nhiều tuyến phố trung tâm được chỉnh trang, góp phần thu hút du khách trong và ngoài nước trong dịp cuối tuần.",
    "Trong năm nay, các ngân hàng thương mại đã dành hàng chục nghìn tỷ đồng cho gói tín dụng ưu đãi nhà ở xã hội.",
    "Bộ trưởng nhấn mạnh yêu cầu công khai, minh bạch trong quản lý tài sản công, kiên quyết xử lý các sai phạm.",
    "Sản lượng điện từ năng lượng tái tạo đã chiếm gần 15% tổng sản lượng toàn hệ thống, mở ra cơ hội giảm phát thải.",
    "Hội nghị thu hút hơn 300 đại biểu là lãnh đạo các bộ, ngành, hiệp hội doanh nghiệp và các tổ chức quốc tế.",
    "Hiện cả nước có hơn 900.000 doanh nghiệp đang hoạt động, trong đó khu vực kinh tế tư nhân đóng góp khoảng 45% GDP.",
    "Đây là lần đầu tiên kết quả khảo sát mức độ hài lòng của người dân được công bố công khai trên cổng thông tin điện tử.",
    "Nhiều trường đại học đã mở thêm ngành học về dữ liệu và an ninh mạng để đáp ứng nhu cầu nhân lực ngày càng lớn.",
    "Các cơ quan chức năng khuyến cáo người dân cảnh giác trước thủ đoạn lừa đảo qua mạng ngày càng tinh vi.",
    "Mục tiêu đặt ra là đến cuối năm, 100% hồ sơ thủ tục hành chính được tiếp nhận và trả kết quả trên môi trường điện tử.",
    "Trên thị trường quốc tế, giá vàng tiếp tục dao động quanh vùng đỉnh lịch sử do nhu cầu trú ẩn an toàn tăng cao.",
    "Ngành du lịch đặt mục tiêu đón 18 triệu lượt khách quốc tế, tập trung vào các sản phẩm du lịch xanh và trải nghiệm văn hóa.",
    "Theo đánh giá của Ngân hàng Thế giới, Việt Nam vẫn là một trong những nền kinh tế tăng trưởng nhanh nhất khu vực.",
]

HEADINGS = [
    "Nhiều điểm sáng trong bức tranh chung",
    "Những nút thắt cần tháo gỡ",
    "Kỳ vọng vào giai đoạn mới",
    "Giải pháp từ cơ sở",
    "Bài học từ thực tiễn",
    "Chuẩn bị cho những kịch bản khó",
]

QUOTES = [
    ("Chúng tôi xác định chuyển đổi số không phải là lựa chọn mà là con đường bắt buộc.", "Lãnh đạo Bộ Tài chính"),
    ("Doanh nghiệp cần một môi trường kinh doanh ổn định, minh bạch và có thể dự báo được.", "Chủ tịch hiệp hội doanh nghiệp"),
    ("Mỗi đồng vốn đầu tư công phải được sử dụng đúng mục đích, hiệu quả và tiết kiệm.", "Đại biểu Quốc hội"),
    ("Người dân phải là trung tâm, là chủ thể của mọi chính sách.", "Chủ tịch UBND tỉnh"),
    ("Thị trường đang bước vào chu kỳ tăng trưởng mới, nhưng rủi ro vẫn còn hiện hữu.", "Chuyên gia kinh tế"),
    ("Báo chí phải đi trước một bước trong ứng dụng công nghệ để giữ chân độc giả.", "Tổng biên tập"),
]

AUTHOR_NAMES = [
    "Nguyễn Thu Hà",
    "Trần Minh Đức",
    "Lê Hoàng Anh",
    "Phạm Quốc Bảo",
    "Vũ Thị Lan",
    "Đặng Văn Hùng",
    "Bùi Ngọc Mai",
    "Hoàng Gia Khánh",
    "Đỗ Thanh Tâm",
    "Ngô Bích Thủy",
    "Dương Tuấn Kiệt",
    "Lý Hải Yến",
]

TAG_NAMES = [
    "chuyển đổi số",
    "ngân sách",
    "thuế",
    "đầu tư công",
    "chứng khoán",
    "lãi suất",
    "tỷ giá",
    "bất động sản",
    "xuất khẩu",
    "nông nghiệp",
    "giao thông",
    "đường sắt",
    "năng lượng",
    "y tế",
    "giáo dục",
    "du lịch",
    "Hà Nội",
    "TP Hồ Chí Minh",
    "Nam Định",
    "doanh nghiệp",
    "khởi nghiệp",
    "ngân hàng",
    "giá vàng",
    "xăng dầu",
    "bảo hiểm",
    "việc làm",
    "môi trường",
    "trí tuệ nhân tạo",
    "an ninh mạng",
    "logistics",
    "cảng biển",
    "nhà ở xã hội",
    "kinh tế tư nhân",
    "FDI",
]

IMAGE_SUBJECTS = [
    ("Toàn cảnh hội nghị", (32, 78, 140)),
    ("Công trường thi công tuyến đường sắt", (150, 92, 40)),
    ("Cánh đồng lúa vào mùa thu hoạch", (70, 130, 50)),
    ("Bảng điện tử tại một công ty chứng khoán", (20, 40, 60)),
    ("Cảng container nhìn từ trên cao", (40, 110, 150)),
    ("Phố phường Hà Nội lúc lên đèn", (120, 60, 110)),
    ("Phóng viên tác nghiệp tại tòa soạn", (90, 90, 96)),
    ("Khu công nghiệp công nghệ cao", (60, 120, 120)),
]


class Command(BaseCommand):
    help = (
        "Create a benchmark press unit with sections and many live articles, bulk-inserted "
        "(no search index, reference index or revisions for those articles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=20000, help="How many articles (default 20000).")
        parser.add_argument("--sections", type=int, default=len(SECTIONS), choices=range(1, len(SECTIONS) + 1), metavar="1-8")
        parser.add_argument("--images", type=int, default=6, choices=range(1, len(IMAGE_SUBJECTS) + 1), metavar="1-8",
                            help="How many shared pictures the articles use.")
        parser.add_argument("--unit-slug", default="bench")
        parser.add_argument("--unit-name", default="Báo Thử Tải Hội Tụ")
        parser.add_argument("--hostname", help="Site hostname (default: <unit-slug>.localhost).")
        parser.add_argument("--default-site", action="store_true", help="Make the unit the default site (answers any host).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, so the same arguments give the same content.")

    def handle(self, *args, **options):
        # override_settings() (pytest-django) hides SETTINGS_MODULE; the
        # environment still names the module that was loaded.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("seed_bench writes thousands of fake articles; it refuses to run with production settings.")
        if options["articles"] < 1:
            raise CommandError("--articles must be at least 1.")
        if Unit.objects.filter(slug=options["unit_slug"]).exists():
            raise CommandError(f"A unit with code {options['unit_slug']!r} already exists; choose another --unit-slug.")
        hostname = options["hostname"] or f"{options['unit_slug']}.localhost"
        self.rng = random.Random(options["seed"])
        started = time.perf_counter()

        db = router.db_for_write(Page)
        with transaction.atomic(using=db):
            unit, home = self.create_unit(options["unit_slug"], options["unit_name"], hostname, options["default_site"])
            sections = self.create_sections(home, options["sections"])
            images = self.create_images(options["images"])
            authors = self.create_authors()
            tags = self.create_tags()
            prepared = time.perf_counter()
            postgresql = connections[db].vendor == "postgresql"
            if postgresql:
                with connections[db].cursor() as cursor:
                    cursor.execute(f"DROP INDEX {WORDS_INDEX}")
            self.create_articles(db, home, sections, images, authors, tags, options["articles"])
            if postgresql:
                with connections[db].cursor() as cursor:
                    # The rows' foreign keys are checked now, not at the
                    # commit: PostgreSQL will not index a table with checks
                    # pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f"CREATE INDEX {WORDS_INDEX} ON newsroom_storysearchentry USING gin (words)")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if connections[db].vendor == "postgresql":
            # Autovacuum would analyse the bulk-loaded tables within minutes;
            # until then the planner takes them for nearly empty.
            with connections[db].cursor() as cursor:
                cursor.execute("ANALYZE")
        # Bulk inserts send no signals: tell the page cache the site changed.
        cache.invalidate()
        finished = time.perf_counter()
        rate = options["articles"] / (finished - prepared)
        self.stdout.write(
            f"Seeded unit {unit.slug!r} (http://{hostname}/) with {len(sections)} sections and "
            f"{options['articles']} articles on {connections[db].vendor} in {finished - started:.1f} s "
            f"(set-up {prepared - started:.1f} s, articles {finished - prepared:.1f} s, {rate:.0f} articles/s)."
        )

    # --- the unit and what its articles share ----------------------------
    def create_unit(self, slug, name, hostname, default):
        existing = Site.objects.filter(hostname=hostname, port=80).first()
        if existing is not None:
            if Unit.objects.filter(site=existing).exists():
                raise CommandError(f"{hostname} already serves a unit; choose another --hostname.")
            # Wagtail's initial "localhost" site points at its welcome page.
            existing.delete()
        if default:
            Site.objects.filter(is_default_site=True).update(is_default_site=False)
        home = Page.get_first_root_node().add_child(instance=HomePage(title=name, slug=slug))
        site = Site.objects.create(hostname=hostname, port=80, root_page=home, site_name=name, is_default_site=default)
        unit = Unit.objects.create(site=site, slug=slug, name=name, publication_name=name, language="vi")
        return unit, home

    def create_sections(self, home, count):
        return [
            home.add_child(instance=SectionPage(title=title, slug=ascii_slug(title), intro=intro, show_in_menus=True))
            for title, intro in SECTIONS[:count]
        ]

    def create_images(self, count):
        images = []
        for index, (title, colour) in enumerate(IMAGE_SUBJECTS[:count]):
            images.append(
                ArchiveImage.objects.create(
                    title=title,
                    caption=f"{title}. Ảnh minh họa.",
                    credit="Ảnh: Hội Tụ",
                    source="Ảnh dựng cho thử tải",
                    file=ImageFile(_picture(colour, index), name=f"bench-{index + 1}.jpg"),
                )
            )
        return images

    def create_authors(self):
        return [
            Author.objects.filter(name=name).first() or Author.objects.create(name=name, job_title="Phóng viên") for name in AUTHOR_NAMES
        ]

    def create_tags(self):
        return [Tag.objects.get_or_create(name=name, defaults={"slug": ascii_slug(name)})[0] for name in TAG_NAMES]

    # --- articles ----------------------------------------------------------
    def create_articles(self, db, home, sections, images, authors, tags, total):
        """Insert ``total`` live articles spread over ``sections``, newest last
        so tree order follows publication order as it does in a real site."""
        content_type = ContentType.objects.get_for_model(ArticlePage)
        next_step = {}
        for section in sections:
            last = section.get_last_child()
            next_step[section.pk] = (Page._str2int(last.path[-Page.steplen :]) + 1) if last else 1
        added = dict.fromkeys(next_step, 0)
        child_fields = ArticlePage._meta.local_concrete_fields
        now = timezone.now()
        number = 0
        while number < total:
            batch = []
            for _ in range(min(BATCH_SIZE, total - number)):
                number += 1
                section = sections[self.rng.randrange(len(sections))]
                step = next_step[section.pk]
                next_step[section.pk] += 1
                added[section.pk] += 1
                published = now - PUBLISHED_SPAN * (total - number) / total - timedelta(minutes=self.rng.randrange(60))
                batch.append(self.article_rows(section, step, number, published, images, content_type))
            pages = Page.objects.using(db).bulk_create([page for page, _, _ in batch])
            children = []
            for page, fields, _ in batch:
                children.append(ArticlePage(page_ptr_id=page.pk, **fields))
            _insert_rows(ArticlePage, children, child_fields, db)
            labels = self.link_authors_and_tags(db, [page.pk for page in pages], authors, tags)
            self.index_for_search(db, home, batch, labels)
        for section in sections:
            Page.objects.using(db).filter(pk=section.pk).update(numchild=F("numchild") + added[section.pk])

    def article_rows(self, section, step, number, published, images, content_type):
        rng = self.rng
        title = f"{rng.choice(TITLE_SUBJECTS)} {rng.choice(TITLE_PREDICATES)}"
        slug = f"{ascii_slug(title, 200)}-{number}"
        sapo = " ".join(rng.sample(SENTENCES, 2))
        body, text = self.body(images)
        words = word_count(f"{sapo} {text}")
        updated = published + timedelta(minutes=rng.choice([0, 0, 0, 15, 90]))
        page = Page(
            path=Page._get_path(section.path, section.depth + 1, step),
            depth=section.depth + 1,
            numchild=0,
            title=title,
            draft_title=title,
            slug=slug,
            url_path=f"{section.url_path}{slug}/",
            content_type=content_type,
            locale_id=section.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=updated,
        )
        fields = {
            "kicker": rng.choice(KICKERS),
            "sapo": sapo,
            "body": body,
            "cover_image_id": rng.choice(images).pk,
            "format": "standard",
            "language": "vi",
            "word_count": words,
            "reading_time": reading_minutes(words),
        }
        return page, fields, text

    def body(self, images):
        """About eight paragraphs with a heading, a quote and two or three
        pictures, as raw StreamField data; also returns the plain text."""
        rng = self.rng
        paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(3, 5))) for _ in range(rng.randint(7, 9))]
        heading = rng.choice(HEADINGS)
        quote, attribution = rng.choice(QUOTES)
        pictures = rng.sample(images, min(len(images), rng.randint(2, 3)))

        blocks = []
        for index, text in enumerate(paragraphs):
            blocks.append(_block("paragraph", f"<p>{text}</p>"))
            if index == 1:
                blocks.append(_image_block(pictures[0]))
            elif index == 3:
                blocks.append(_block("heading", {"text": heading, "level": "h2"}))
            elif index == 4:
                blocks.append(_block("quote", {"text": quote, "attribution": attribution}))
            elif index == 5 and len(pictures) > 1:
                blocks.append(_image_block(pictures[1]))
        if len(pictures) > 2:
            blocks.insert(-1, _image_block(pictures[2]))
        return blocks, " ".join([*paragraphs, heading, quote, attribution])

    def link_authors_and_tags(self, db, page_ids, authors, tags):
        """Bylines and tags for the pages; returns each page's tag and
        author names (what search reads of them)."""
        rng = self.rng
        bylines, tagged = [], []
        labels = {page_id: [] for page_id in page_ids}
        for page_id in page_ids:
            if rng.random() < 0.8:
                for order, author in enumerate(rng.sample(authors, rng.choice([1, 1, 1, 2]))):
                    bylines.append(ArticleAuthor(article_id=page_id, author=author, sort_order=order))
                    labels[page_id].append(author.name)
            if rng.random() < 0.7:
                for tag in rng.sample(tags, rng.randint(1, 3)):
                    tagged.append(ArticlePageTag(content_object_id=page_id, tag=tag))
                    labels[page_id].append(tag.name)
        ArticleAuthor.objects.using(db).bulk_create(bylines)
        ArticlePageTag.objects.using(db).bulk_create(tagged)
        return labels

    def index_for_search(self, db, home, batch, labels):
        """What publication would have indexed: the stored words on
        PostgreSQL (newsroom.search.weighted_words, as publication makes them, from the text
        just generated), Wagtail's FTS5 index on SQLite."""
        if connections[db].vendor != "postgresql":
            pages = ArticlePage.get_indexed_objects().using(db).filter(pk__in=[page.pk for page, _, _ in batch])
            get_search_backend().add_bulk(ArticlePage, list(pages))
            return
        rows = [
            (page.pk, home.pk, page.first_published_at, None,
             *weighted_words(page.title, f"{fields['kicker']} {fields['sapo']}", labels[page.pk], text))
            for page, fields, text in batch
        ]  # fmt: skip
        StorySearchEntry.objects.using(db).store(rows)


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _image_block(image):
    return _block("image", {"image": image.pk, "caption": "", "credit": "", "layout": "normal"})


def _insert_rows(model, objs, fields, db):
    """INSERT the model's own table rows for ``objs`` in batches, the way
    ``bulk_create`` does for a model without parents; on PostgreSQL with
    COPY (the driver would quote each story's body JSON character by
    character in Python to send it as an array, most of the seed's time)."""
    connection = connections[db]
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields])
        return
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    manager = model._base_manager.using(db)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, using=db)


def _picture(colour, index, size=(1600, 900)):
    """A photo-sized JPEG with gradients and shapes, so renditions cost what
    real pictures cost rather than what a flat colour costs."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    base = Image.new("RGB", size, colour)
    light = Image.new("RGB", size, tuple(min(255, c + 110) for c in colour))
    picture = Image.composite(light, base, gradient)
    draw = ImageDraw.Draw(picture)
    rng = random.Random(index)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(20, 220)
        shade = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=shade, outline=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    buffer.seek(0)
    return buffer
