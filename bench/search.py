"""Public search on the seeded unit: 20 Vietnamese queries typed without
diacritics, each page rendered (no page cache), against the uncached
article page; and, in one process, the time of the search itself (the
query that finds and ranks, and the page of 20 story cards it loads)."""

from urllib.parse import quote_plus

from . import harness
from .scenario import Scenario, Target

# Subjects and words of seed_bench's stories, as a reader types them.
QUERIES = [
    "bo tai chinh",
    "duong sat toc do cao",
    "ngan hang nha nuoc",
    "thi truong chung khoan",
    "gia xang dau",
    "kho bac",
    "thue thu nhap ca nhan",
    "nam dinh",
    "ha noi",
    "chuyen doi so bao chi",
    "giai ngan von dau tu cong",
    "thi truong vang",
    "trai phieu doanh nghiep",
    "cang bien hai phong",
    "du lich noi dia",
    "gia lua gao",
    "bao hiem xa hoi",
    "nang luong tai tao",
    "tri tue nhan tao",
    "nha o xa hoi",
]
IN_PROCESS_ROUNDS = 5


def _check(response):
    if response.status != 200:
        return f"HTTP {response.status}"
    if b"card--search" not in response.body:
        return "the page lists no story"
    return None


def search(ctx):
    server = ctx.server("search", PAGE_CACHE_SECONDS=0)
    paths = [f"/search/?q={quote_plus(query)}" for query in QUERIES]
    ctx.warm(server, paths, _check)
    harness.log("timing the search itself, in one process…")
    timing = ctx.workspace.inside("search-timing", "--unit", harness.BENCH_UNIT, "--rounds", str(IN_PROCESS_ROUNDS), *QUERIES)
    return Target(server, paths, _check, extra={"search": timing})


SCENARIOS = [Scenario("search", "Public search, 20 queries without diacritics (rendered, no page cache)", search, baseline="article_uncached")]
