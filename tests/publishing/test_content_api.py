"""The partners' content API (/api/ninjs/): token authentication, each
partner's scope, the since-cursor feed (no gaps, no repeats), takedowns as
canceled, JSON errors, query counts, and the OpenAPI description checked
against real answers."""

import json
import threading
from datetime import timedelta
from types import SimpleNamespace

import jsonschema
import pytest
from django.db import reset_queries
from django.utils import timezone
from referencing import Registry, Resource

from publishing.api.openapi import NINJS_SCHEMA
from publishing.api.throttling import PartnerRateThrottle
from publishing.models import Partner, StoryEvent
from tests.helpers import make_article, make_section, make_unit
from tests.publishing.test_ninjs import _format_checker, assert_valid_ninjs, ninjs_schema
from tests.shared import built_once
from workflows.services import take_down

API = "/api/ninjs/"


@pytest.fixture(autouse=True)
def _no_settle_delay(settings):
    # Changes are listed at once (the delay guards against commits landing
    # out of order on PostgreSQL; see test_fresh_changes_wait_to_settle).
    settings.PUBLISHING_API_SETTLE_SECONDS = 0


def build_world():
    finance, finance_home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    province, province_home = make_unit("lamdong", "Báo Lâm Đồng")
    economy = make_section(finance_home, "Kinh tế")
    markets = make_section(finance_home, "Chứng khoán")
    news = make_section(province_home, "Thời sự")
    return {"finance": finance, "province": province, "economy": economy, "markets": markets, "news": news}


_module_world = built_once("world", build_world)


@pytest.fixture
def world(db, _module_world, shared_data):
    return shared_data(_module_world, build_world)


def make_partner(*units, sections=(), active=True, name="Báo Đối tác"):
    partner = Partner(name=name, active=active)
    token = partner.issue_token()
    partner.save()
    partner.units.set(units)
    partner.sections.set(sections)
    return partner, token


def get(client, token, path=API, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(path, params, **headers)


def assert_json_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("tbt", "tbt@example.vn", "pw-test-123")


# --- authentication ------------------------------------------------------------


def test_missing_bad_and_suspended_tokens_get_401_json(client, world):
    make_article(world["economy"], title="Tin kinh tế")
    _partner, token = make_partner(world["finance"])
    _suspended, suspended_token = make_partner(world["finance"], active=False, name="Đối tác tạm dừng")
    response = get(client, None)
    assert_json_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_json_error(get(client, "htp_not-a-real-token"), 401, "invalid_token")
    assert_json_error(client.get(API, HTTP_AUTHORIZATION=f"Token {token}"), 401, "invalid_token")
    assert_json_error(get(client, suspended_token), 401, "partner_inactive")
    # The right token works, and its use is recorded.
    assert get(client, token).status_code == 200
    assert Partner.objects.get(name="Báo Đối tác").last_used_at is not None


def test_answers_are_never_cached_for_another_partner(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 600
    make_article(world["economy"], title="Tin kinh tế")
    make_article(world["news"], title="Tin Lâm Đồng")
    _a, finance_token = make_partner(world["finance"], name="A")
    _b, province_token = make_partner(world["province"], name="B")
    first = get(client, finance_token)
    assert first["Cache-Control"] == "no-store"
    assert [i["headlines"][0]["value"] for i in first.json()["items"]] == ["Tin kinh tế"]
    assert [i["headlines"][0]["value"] for i in get(client, province_token).json()["items"]] == ["Tin Lâm Đồng"]
    assert_json_error(get(client, None), 401, "not_authenticated")


# --- scope -----------------------------------------------------------------------


def test_partner_sees_only_granted_units_and_sections(client, world):
    economy_story = make_article(world["economy"], title="Tin kinh tế")
    markets_story = make_article(world["markets"], title="Tin chứng khoán")
    province_story = make_article(world["news"], title="Tin Lâm Đồng")
    _unit_partner, unit_token = make_partner(world["finance"])
    _section_partner, section_token = make_partner(world["finance"], sections=[world["economy"]], name="Chỉ kinh tế")

    titles = [i["headlines"][0]["value"] for i in get(client, unit_token).json()["items"]]
    assert titles == ["Tin kinh tế", "Tin chứng khoán"]
    titles = [i["headlines"][0]["value"] for i in get(client, section_token).json()["items"]]
    assert titles == ["Tin kinh tế"]

    assert get(client, unit_token, f"{API}urn:hoitu:taichinh:{markets_story.pk}/").status_code == 200
    assert get(client, unit_token, f"{API}{economy_story.pk}/").json()["uri"] == f"urn:hoitu:taichinh:{economy_story.pk}"
    # Another unit's story, another section's, a wrong unit in the uri, an unknown one: 404 JSON alike.
    assert_json_error(get(client, unit_token, f"{API}urn:hoitu:lamdong:{province_story.pk}/"), 404, "not_found")
    assert_json_error(get(client, unit_token, f"{API}{province_story.pk}/"), 404, "not_found")
    assert_json_error(get(client, section_token, f"{API}{markets_story.pk}/"), 404, "not_found")
    assert_json_error(get(client, unit_token, f"{API}urn:hoitu:lamdong:{economy_story.pk}/"), 404, "not_found")
    assert_json_error(get(client, unit_token, f"{API}999999/"), 404, "not_found")
    assert_json_error(get(client, unit_token, f"{API}khong-co/gi/ca/"), 404, "not_found")


def test_unit_filter(client, world):
    make_article(world["economy"], title="Tin kinh tế")
    make_article(world["news"], title="Tin Lâm Đồng")
    _partner, token = make_partner(world["finance"], world["province"])
    assert [i["headlines"][0]["value"] for i in get(client, token, unit="lamdong").json()["items"]] == ["Tin Lâm Đồng"]
    assert len(get(client, token).json()["items"]) == 2
    _other, finance_only = make_partner(world["finance"], name="Chỉ Tài chính")
    assert_json_error(get(client, finance_only, unit="lamdong"), 400, "unknown_unit")


def test_drafts_are_not_served(client, world):
    draft = make_article(world["economy"], title="Bản nháp", publish=False)
    _partner, token = make_partner(world["finance"])
    assert get(client, token).json()["items"] == []
    assert_json_error(get(client, token, f"{API}{draft.pk}/"), 404, "not_found")


# --- the changes feed --------------------------------------------------------------


def test_since_cursor_pages_through_every_change_once(client, world, superuser):
    stories = [make_article(world["economy"] if n % 2 else world["markets"], title=f"Tin số {n}") for n in range(12)]
    _partner, token = make_partner(world["finance"])

    # Stories 3 and 7 change again (republished), story 5 is taken down.
    for n in (3, 7):
        revision = stories[n].get_latest_revision_as_object()
        revision.sapo = f"Cập nhật tin số {n}"
        revision.save_revision().publish()
    take_down(stories[5], superuser, "Sai sự thật")

    seen, since, pages = [], None, 0
    while True:
        params = {"limit": 5}
        if since is not None:
            params["since"] = since
        body = get(client, token, **params).json()
        pages += 1
        seen += body["items"]
        since = body["next"]
        if not body["has_more"]:
            break
    assert pages == 3
    uris = [item["uri"] for item in seen]
    assert len(uris) == len(set(uris)) == 12
    # In the order of each story's latest change.
    changed_last = [f"urn:hoitu:taichinh:{stories[n].pk}" for n in (3, 7, 5)]
    assert uris[-3:] == changed_last
    by_uri = {item["uri"]: item for item in seen}
    assert by_uri[changed_last[0]]["descriptions"][0]["value"] == "Cập nhật tin số 3"
    assert by_uri[changed_last[0]]["version"] == "2"
    canceled = by_uri[changed_last[2]]
    assert canceled["pubStatus"] == "canceled" and canceled["version"] == "2"
    for item in seen:
        assert_valid_ninjs(item)

    # Nothing new: an empty page that keeps the cursor.
    body = get(client, token, since=since).json()
    assert body == {"items": [], "next": since, "has_more": False}
    # A correction later shows up once, after the cursor.
    revision = stories[0].get_latest_revision_as_object()
    revision.title = "Tin số 0 (đã sửa)"
    revision.save_revision().publish()
    body = get(client, token, since=since).json()
    assert [item["headlines"][0]["value"] for item in body["items"]] == ["Tin số 0 (đã sửa)"]
    assert int(body["next"]) > int(since)


def test_a_deleted_story_is_listed_as_canceled_so_partners_remove_it(client, world):
    kept = make_article(world["economy"], title="Tin còn lại")
    deleted = make_article(world["economy"], title="Tin bị xoá")
    draft = make_article(world["economy"], title="Bản nháp bị xoá", publish=False)
    other = make_article(world["news"], title="Tin của báo khác bị xoá")
    partner, token = make_partner(world["finance"])
    since = get(client, token).json()["next"]

    deleted_pk, draft_pk, other_pk = deleted.pk, draft.pk, other.pk
    deleted.delete()
    draft.delete()
    other.delete()

    body = get(client, token, since=since).json()
    # Only what the partner was told of, and it is told it is gone.
    [item] = body["items"]
    assert item["uri"] == f"urn:hoitu:taichinh:{deleted_pk}" and item["pubStatus"] == "canceled"
    assert item["versionCreated"].endswith("Z") and item["version"] == "2"  # published, then deleted
    assert_valid_ninjs(item)
    assert get(client, token, since=body["next"]).json()["items"] == []
    # The story's address answers the same; never another partner's, nor a draft.
    assert get(client, token, f"{API}urn:hoitu:taichinh:{deleted_pk}/").json() == item
    assert get(client, token, f"{API}{deleted_pk}/").json() == item
    assert_json_error(get(client, token, f"{API}urn:hoitu:lamdong:{deleted_pk}/"), 404, "not_found")
    assert_json_error(get(client, token, f"{API}{draft_pk}/"), 404, "not_found")
    assert_json_error(get(client, token, f"{API}{other_pk}/"), 404, "not_found")
    # A partner given a section only hears of its own section's stories.
    _markets_partner, markets_token = make_partner(world["finance"], sections=[world["markets"]])
    assert get(client, markets_token).json()["items"] == []
    assert_json_error(get(client, markets_token, f"{API}{deleted_pk}/"), 404, "not_found")
    # The full feed from the start still lists the kept story once.
    uris = [i["uri"] for i in get(client, token).json()["items"]]
    assert uris == [f"urn:hoitu:taichinh:{kept.pk}", f"urn:hoitu:taichinh:{deleted_pk}"]


def test_a_story_moved_to_another_section_follows_the_partners_sections(client, world):
    story = make_article(world["economy"], title="Tin chuyển chuyên mục")
    uri = f"urn:hoitu:taichinh:{story.pk}"
    _economy_partner, economy = make_partner(world["finance"], sections=[world["economy"]])
    _markets_partner, markets = make_partner(world["finance"], sections=[world["markets"]])
    _unit_partner, whole_unit = make_partner(world["finance"])
    assert [i["pubStatus"] for i in get(client, economy).json()["items"]] == ["usable"]
    assert get(client, markets).json()["items"] == []
    cursors = {token: get(client, token).json()["next"] for token in (economy, markets, whole_unit)}

    story.move(world["markets"], pos="last-child")

    def changes(token):
        return get(client, token, since=cursors[token]).json()["items"]

    # The section it left: no longer theirs, so canceled; the section it
    # joined: theirs now; the whole unit: the story at its new address.
    [left] = changes(economy)
    assert left["uri"] == uri and left["pubStatus"] == "canceled"
    assert_json_error(get(client, economy, f"{API}{story.pk}/"), 404, "not_found")
    [joined] = changes(markets)
    assert joined["uri"] == uri and joined["pubStatus"] == "usable" and "/chung-khoan/" in joined["renditions"][0]["href"]
    [moved] = changes(whole_unit)
    assert moved["uri"] == uri and moved["pubStatus"] == "usable" and "/chung-khoan/" in moved["renditions"][0]["href"]
    for item in (left, joined, moved):
        assert_valid_ninjs(item)


def test_bad_cursor_and_limit_are_400_json(client, world):
    _partner, token = make_partner(world["finance"])
    assert_json_error(get(client, token, since="abc"), 400, "bad_cursor")
    assert_json_error(get(client, token, since="-1"), 400, "bad_cursor")
    assert_json_error(get(client, token, since="9" * 40), 400, "bad_cursor")
    assert_json_error(get(client, token, limit="0"), 400, "bad_limit")
    assert_json_error(get(client, token, limit="101"), 400, "bad_limit")
    assert_json_error(get(client, token, limit="mười"), 400, "bad_limit")
    response = client.post(API, {}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_json_error(response, 405, "method_not_allowed")


def test_fresh_changes_wait_to_settle(client, world, settings):
    settings.PUBLISHING_API_SETTLE_SECONDS = 30
    story = make_article(world["economy"], title="Vừa đăng")
    _partner, token = make_partner(world["finance"])
    assert get(client, token).json()["items"] == []
    StoryEvent.objects.filter(story=story).update(at=timezone.now() - timedelta(seconds=31))
    assert [i["headlines"][0]["value"] for i in get(client, token).json()["items"]] == ["Vừa đăng"]


def test_query_count_does_not_grow_with_the_page(client, world, django_assert_max_num_queries):
    for n in range(3):
        make_article(world["economy"], title=f"Tin {n}", tags=["thuế"])
    _partner, token = make_partner(world["finance"])
    get(client, token)  # warms Wagtail's site root paths
    reset_queries()  # the log keeps 9,000 queries; making stories fills it
    with django_assert_max_num_queries(20) as small:
        assert len(get(client, token).json()["items"]) == 3
    small_count = len(small.captured_queries)
    for n in range(3, 15):
        make_article(world["economy"], title=f"Tin {n}", tags=["thuế", "ngân sách"])
    get(client, token)
    reset_queries()
    with django_assert_max_num_queries(small_count):
        assert len(get(client, token).json()["items"]) == 15


def test_rate_limit_per_partner(client, world, settings):
    settings.PUBLISHING_API_RATE = "3/min"
    _a, token = make_partner(world["finance"], name="A")
    _b, other_token = make_partner(world["finance"], name="B")
    for _ in range(3):
        assert get(client, token).status_code == 200
    response = get(client, token)
    assert_json_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert get(client, other_token).status_code == 200


# --- OpenAPI -----------------------------------------------------------------------


def openapi_validator(spec, schema_name):
    """A validator for one of the description's schemas, with the ninjs
    schema it references resolved from the IPTC file."""
    ninjs = ninjs_schema()
    registry = Registry().with_resources(
        [(NINJS_SCHEMA, Resource.from_contents(ninjs)), (ninjs["$id"].rstrip("#"), Resource.from_contents(ninjs))]
    )
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": spec["components"], "$ref": f"#/components/schemas/{schema_name}"}
    return jsonschema.Draft202012Validator(root, registry=registry, format_checker=_format_checker())


def test_openapi_description_matches_the_answers(client, world, superuser):
    story = make_article(world["economy"], title="Tin kinh tế", tags=["thuế"])
    gone = make_article(world["economy"], title="Tin bị gỡ")
    take_down(gone, superuser, "Vi phạm bản quyền")
    _partner, token = make_partner(world["finance"])

    response = client.get(f"{API}openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["servers"][0]["url"].endswith("/api/ninjs")
    token_scheme = spec["components"]["securitySchemes"]["partnerToken"]
    assert token_scheme == {**token_scheme, "type": "http", "scheme": "bearer"}
    # Every documented path answers, with the documented statuses.
    assert set(spec["paths"]) == {"/", "/{ref}/", "/openapi.json"}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            assert operation["operationId"] and operation["responses"]
            for status, answer in operation["responses"].items():
                assert status.isdigit()
                for media in answer.get("content", {}).values():
                    ref = media["schema"].get("$ref")
                    if ref:
                        assert ref.split("/")[-1] in spec["components"]["schemas"]

    changes = get(client, token)
    openapi_validator(spec, "Changes").validate(changes.json())
    one = get(client, token, f"{API}urn:hoitu:taichinh:{story.pk}/")
    openapi_validator(spec, "Ninjs").validate(one.json())
    for failing in (get(client, None), get(client, token, since="x"), get(client, token, f"{API}0/")):
        status = str(failing.status_code)
        operation = spec["paths"]["/{ref}/" if failing.wsgi_request.path != API else "/"]["get"]
        assert status in operation["responses"]
        openapi_validator(spec, "Error").validate(failing.json())
    # A wrong description would fail: the Changes schema is strict.
    with pytest.raises(jsonschema.ValidationError):
        openapi_validator(spec, "Changes").validate({**changes.json(), "extra": 1})
    json.dumps(spec)  # serialisable as published


def test_wrong_tokens_are_limited_per_address_before_they_are_checked(client, world, settings):
    settings.PUBLISHING_API_ADDRESS_RATE = "3/min"
    for attempt in range(3):
        assert_json_error(get(client, f"doan-thu-{attempt}"), 401, "invalid_token")
    response = get(client, "doan-thu-4")
    assert_json_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # Even the right token waits at this address; another address does not.
    _partner, token = make_partner(world["finance"])
    assert_json_error(get(client, token), 429, "throttled")
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.9").status_code == 200
    # A forged X-Forwarded-For does not buy a fresh count (no proxy is trusted).
    response = client.get(API, HTTP_AUTHORIZATION="Bearer doan-thu", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert_json_error(response, 429, "throttled")


def test_requests_at_the_same_moment_never_pass_the_partners_limit(world, settings):
    """Each of 24 requests arriving together reads the counter: exactly the
    limit passes (a read-then-write history let them all through)."""
    settings.PUBLISHING_API_RATE = "5/min"
    partner, _token = make_partner(world["finance"])
    throttle_request = SimpleNamespace(auth=partner)
    start = threading.Barrier(24)
    answers = []

    def arrive():
        start.wait()
        answers.append(PartnerRateThrottle().allow_request(throttle_request, None))

    threads = [threading.Thread(target=arrive) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [False] * 19 + [True] * 5
