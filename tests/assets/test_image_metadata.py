"""A picture's own metadata fills in its caption, credit, keywords, date
and place at upload, so the photo desk does not type them again: XMP
before IPTC before EXIF, Vietnamese intact (UTF-16 EXIF, UTF-8 IPTC), and
still editable. Pictures made here with Pillow, metadata written by hand
as cameras, agencies and photo desks write it."""

import io
import json
import struct
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets.models import ArchiveImage

# Nothing here can differ on PostgreSQL + Redis (a picture's metadata): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")


def jpeg(exif=None, iptc=None, xmp=None):
    picture = Image.new("RGB", (64, 48), (200, 80, 40))
    out = io.BytesIO()
    extra = {"xmp": xmp.encode()} if xmp else {}
    picture.save(out, "JPEG", exif=exif or Image.Exif(), **extra)
    data = out.getvalue()
    if iptc:
        data = data[:2] + photoshop_segment(iptc) + data[2:]
    return data


def camera_exif():
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van An"  # Artist: ASCII, as cameras write it
    exif[0x9C9D] = "Nguyễn Văn An\x00".encode("utf-16-le")  # XPAuthor: Windows writes Vietnamese here
    exif[0x9C9C] = "Cầu Rồng phun lửa đêm thứ Bảy\x00".encode("utf-16-le")  # XPComment
    exif[0x9C9E] = "Đà Nẵng;lễ hội\x00".encode("utf-16-le")  # XPKeywords
    exif[0x8298] = "Bao Da Nang"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:28 20:15:00"  # DateTimeOriginal, the camera's clock
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (16.0, 3.0, 40.8), 3: "E", 4: (108.0, 13.0, 37.2)})
    return exif


def photoshop_segment(datasets):
    """A JPEG APP13 segment holding IPTC IIM datasets, as agencies send them."""
    iim = b"".join(b"\x1c" + bytes([record, number]) + struct.pack(">H", len(value)) + value for (record, number), value in datasets)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


AGENCY_IPTC = [
    ((1, 90), b"\x1b%G"),  # the texts are UTF-8
    ((2, 105), "Pháo hoa bên sông Hàn".encode()),
    ((2, 120), "Pháo hoa quốc tế Đà Nẵng khai mạc tối 28/11.".encode()),
    ((2, 80), "Trần Minh".encode()),
    ((2, 110), b"TTXVN"),
    ((2, 116), "© TTXVN".encode()),
    ((2, 25), "pháo hoa".encode()),
    ((2, 25), "Đà Nẵng".encode()),
    ((2, 55), b"20261128"),
    ((2, 60), b"201500+0700"),
]

DESK_XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:exif="http://ns.adobe.com/exif/1.0/">
 <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Khán giả xem pháo hoa trên cầu Rồng.</rdf:li></rdf:Alt></dc:description>
 <dc:creator><rdf:Seq><rdf:li>Lê Thu Hà</rdf:li></rdf:Seq></dc:creator>
 <dc:subject><rdf:Bag><rdf:li>cầu Rồng</rdf:li><rdf:li>khán giả</rdf:li></rdf:Bag></dc:subject>
 <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Báo Đà Nẵng</rdf:li></rdf:Alt></dc:rights>
 <xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">Chỉ dùng cho tin bài về lễ hội.</rdf:li></rdf:Alt></xmpRights:UsageTerms>
 <photoshop:Credit>Báo Đà Nẵng</photoshop:Credit>
 <photoshop:DateCreated>2026-11-28T20:30:00+07:00</photoshop:DateCreated>
 <exif:GPSLatitude>16,3.68N</exif:GPSLatitude><exif:GPSLongitude>108,13.62E</exif:GPSLongitude>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def form_values(html):
    """What a browser would send from the uploader's form for one picture."""
    form = lxml.html.fromstring(html).xpath("//form")[0]
    values = {}
    for field in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        if field.tag == "select":
            chosen = field.xpath("./option[@selected]/@value") or field.xpath("./option/@value")
            values[field.get("name")] = chosen[0] if chosen else ""
        elif field.get("type") not in ("checkbox", "radio") or field.get("checked") is not None:
            values[field.get("name")] = field.text_content() if field.tag == "textarea" else field.get("value", "")
    return form.get("action"), values


def upload_several(archivist, name, data, check=None):
    """Through Wagtail's multiple uploader, as its page does: the file, then
    the form that comes back for it, sent as filled in (``check`` sees it)."""
    answer = json.loads(archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile(name, data, "image/jpeg")}).content)
    assert answer["success"], answer
    action, values = form_values(answer["form"])
    if check:
        check(values)
    saved = json.loads(archivist.post(action, values).content)
    assert saved["success"], saved
    return ArchiveImage.objects.get(pk=saved["image_id"])


def test_a_cameras_exif_fills_in_the_picture_in_vietnamese(archivist):
    def shown_before_saving(values):
        # The uploader sees the values in the picture's form and may change them.
        assert [value for field, value in values.items() if field.endswith("-credit")] == ["Nguyễn Văn An"]
        assert [value for field, value in values.items() if field.endswith("-tags")] == ['"lễ hội", "Đà Nẵng"']

    picture = upload_several(archivist, "DSC_2041.jpg", jpeg(exif=camera_exif()), check=shown_before_saving)
    assert picture.credit == "Nguyễn Văn An"  # the UTF-16 tag, not the ASCII one
    assert picture.caption == "Cầu Rồng phun lửa đêm thứ Bảy"
    assert picture.copyright == "Bao Da Nang"
    assert sorted(picture.tags.names()) == ["lễ hội", "Đà Nẵng"]
    # A camera's clock has no zone: the newsroom's.
    assert picture.taken_at == datetime(2026, 11, 28, 20, 15, tzinfo=HO_CHI_MINH)
    assert (picture.latitude, picture.longitude) == (pytest.approx(16.0613, abs=1e-4), pytest.approx(108.227, abs=1e-4))
    assert picture.title == "DSC_2041.jpg"  # the camera gave no title


def test_an_agencys_iptc_fills_in_title_caption_byline_and_source(archivist):
    picture = upload_several(archivist, "TTXVN-0412.jpg", jpeg(iptc=AGENCY_IPTC))
    assert picture.title == "Pháo hoa bên sông Hàn"
    assert picture.caption == "Pháo hoa quốc tế Đà Nẵng khai mạc tối 28/11."
    assert (picture.credit, picture.source, picture.copyright) == ("Trần Minh", "TTXVN", "© TTXVN")
    assert sorted(picture.tags.names()) == ["pháo hoa", "Đà Nẵng"]
    assert picture.taken_at == datetime(2026, 11, 28, 20, 15, tzinfo=HO_CHI_MINH)


def test_xmp_wins_over_iptc_and_exif_and_the_uploader_keeps_the_last_word(archivist):
    picture = upload_several(archivist, "ban-bien-tap.jpg", jpeg(exif=camera_exif(), iptc=AGENCY_IPTC, xmp=DESK_XMP))
    assert picture.caption == "Khán giả xem pháo hoa trên cầu Rồng."
    assert (picture.credit, picture.source) == ("Lê Thu Hà", "Báo Đà Nẵng")
    assert picture.copyright == "© Báo Đà Nẵng"
    assert picture.usage_terms == "Chỉ dùng cho tin bài về lễ hội."
    assert sorted(picture.tags.names()) == ["cầu Rồng", "khán giả"]
    assert picture.taken_at == datetime(2026, 11, 28, 20, 30, tzinfo=HO_CHI_MINH)
    assert (picture.latitude, picture.longitude) == (pytest.approx(16.0613, abs=1e-4), pytest.approx(108.227, abs=1e-4))
    assert picture.title == "Pháo hoa bên sông Hàn"  # XMP has no headline: the agency's stands

    # The single upload form: what the uploader typed stands; the blanks are filled.
    response = archivist.post(
        "/admin/images/add/",
        {"title": "Đêm pháo hoa", "caption": "Chú thích của biên tập viên", "license": "all-rights-reserved", "collection": 1,
         "file": SimpleUploadedFile("dem.jpg", jpeg(xmp=DESK_XMP), "image/jpeg")},
    )  # fmt: skip
    assert response.status_code == 302
    typed = ArchiveImage.objects.get(title="Đêm pháo hoa")
    assert typed.caption == "Chú thích của biên tập viên"
    assert typed.credit == "Lê Thu Hà" and sorted(typed.tags.names()) == ["cầu Rồng", "khán giả"]
    # Still editable: the edit page shows the values in their fields.
    page = archivist.get(f"/admin/images/{typed.pk}/").content.decode()
    assert "Chỉ dùng cho tin bài về lễ hội." in page and 'value="Lê Thu Hà"' in page


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:2] + photoshop_segment([((2, 120), b"\xff" * 10), ((2, 25), b"")]) + data[2:],  # IPTC not UTF-8, an empty keyword
        lambda data: data.replace(b"<rdf:RDF", b"<rdf:RDF <<broken", 1),  # XMP that is not XML
    ],
    ids=["bad-iptc", "broken-xmp"],
)
def test_damaged_metadata_never_refuses_the_picture(archivist, damage):
    picture = upload_several(archivist, "hong.jpg", damage(jpeg(exif=camera_exif(), xmp=DESK_XMP)))
    assert picture.credit  # what could be read was
