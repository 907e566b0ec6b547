"""The demo press units: identity, sections, staff accounts and bylines.

Names, addresses and contacts are invented for the demo (".example"
domains, 0xx phone numbers) so nothing here reaches a real person.
"""

from dataclasses import dataclass, field

# Role codes of workflows.Role: each account joins its unit's group for
# that role (workflows.roles creates the groups with the unit).
REPORTER = "reporter"
CONTRIBUTOR = "contributor"
DESK_EDITOR = "desk_editor"
SECTION_HEAD = "section_head"
MANAGING_EDITOR = "managing_editor"
EDITOR_IN_CHIEF = "editor_in_chief"
DEPUTY_EDITOR = "deputy_editor"
DISTRIBUTION = "distribution"
UNIT_ADMIN = "unit_admin"
ARCHIVE_MANAGER = "archive_manager"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    themes: tuple  # artwork themes for stories of this section


@dataclass(frozen=True)
class Staff:
    role: str  # the suffix of the username: <unit>.<role>
    family_name: str
    given_name: str
    job_title: str
    email: str
    newsroom_role: str  # a workflows.Role code
    section: str = ""  # section slug, for a section head


@dataclass(frozen=True)
class Byline:
    slug: str
    name: str
    job_title: str
    bio: str
    staff_role: str = ""  # links the byline to that staff account


@dataclass(frozen=True)
class DemoUnit:
    slug: str
    name: str
    tagline: str
    publication_name: str
    press_license: str
    editor_in_chief: str
    address: str
    phone: str
    email: str
    logo_file: str
    logo_colour: str
    logo_initials: str
    sections: tuple
    staff: tuple
    bylines: tuple
    social: dict = field(default_factory=dict)

    def username(self, role):
        return f"{self.slug}.{role}"


TAICHINH = DemoUnit(
    slug="taichinh",
    name="Thời báo Tài chính",
    tagline="Thông tin kinh tế – tài chính chính thống, nhanh và chính xác",
    publication_name="Thời báo Tài chính",
    press_license="Giấy phép mẫu số 00/GP-BTTTT (dữ liệu minh họa của Hội Tụ)",
    editor_in_chief="Phạm Văn Đức",
    address="Số 8 phố Phan Huy Chú, Hoàn Kiếm, Hà Nội (địa chỉ minh họa)",
    phone="024 0000 0001",
    email="toasoan@taichinh.hoitu.example",
    logo_file="logo-taichinh.png",
    logo_colour="#1f4e9a",
    logo_initials="TC",
    social={
        "facebook_url": "https://www.facebook.com/hoitu.taichinh.demo",
        "youtube_url": "https://www.youtube.com/@hoitu-taichinh-demo",
        "zalo_url": "https://zalo.me/hoitu-taichinh-demo",
    },
    sections=(
        Section("thoi-su", "Thời sự", "Tin tức thời sự trong nước, hoạt động của Chính phủ và ngành Tài chính.", ("skyline", "crowd")),
        Section("kinh-te", "Kinh tế", "Kinh tế vĩ mô, doanh nghiệp, thị trường và đầu tư.", ("skyline", "chart")),
        Section("tai-chinh", "Tài chính", "Ngân sách, thuế, hải quan, kho bạc, chứng khoán và bảo hiểm.", ("chart",)),
        Section("chuyen-doi-so", "Chuyển đổi số", "Chuyển đổi số báo chí, Chính phủ số và kinh tế số.", ("network",)),
        Section("xa-hoi", "Xã hội", "An sinh, giáo dục, y tế và đời sống người lao động.", ("crowd", "river")),
        Section("van-hoa", "Văn hóa", "Văn hóa, sách, nghệ thuật và những câu chuyện nghề báo.", ("heritage",)),
    ),
    staff=(
        Staff("phongvien", "Nguyễn", "Thu Hà", "Phóng viên Ban Chuyển đổi số", "ha.nguyen@taichinh.hoitu.example", REPORTER),
        Staff("ctv", "Đinh", "Hồng Nhung", "Cộng tác viên mảng Văn hóa – Xã hội", "nhung.dinh@taichinh.hoitu.example", CONTRIBUTOR),
        Staff("bientap", "Trần", "Quốc Bảo", "Biên tập viên Ban Kinh tế", "bao.tran@taichinh.hoitu.example", DESK_EDITOR),
        Staff("truongban", "Vương", "Hoài Nam", "Trưởng ban Thời sự", "nam.vuong@taichinh.hoitu.example", SECTION_HEAD, "thoi-su"),
        Staff("thuky", "Lê", "Minh Châu", "Thư ký tòa soạn", "chau.le@taichinh.hoitu.example", MANAGING_EDITOR),
        Staff("tongbientap", "Phạm", "Văn Đức", "Tổng biên tập", "duc.pham@taichinh.hoitu.example", EDITOR_IN_CHIEF),
        Staff("photongbientap", "Lý", "Thanh Sơn", "Phó Tổng biên tập", "son.ly@taichinh.hoitu.example", DEPUTY_EDITOR),
        Staff("phathanh", "Hoàng", "Thị Lan", "Biên tập viên phát hành đa nền tảng", "lan.hoang@taichinh.hoitu.example", DISTRIBUTION),
        Staff("quantri", "Mai", "Xuân Trường", "Quản trị tòa soạn", "truong.mai@taichinh.hoitu.example", UNIT_ADMIN),
    ),
    bylines=(
        Byline(
            "nguyen-thu-ha", "Nguyễn Thu Hà", "Phóng viên Ban Chuyển đổi số",
            "Theo dõi chuyển đổi số trong ngành Tài chính và báo chí từ năm 2016; viết nhiều về dữ liệu, "
            "an toàn thông tin và dịch vụ công trực tuyến.",
            staff_role="phongvien",
        ),
        Byline(
            "tran-quoc-bao", "Trần Quốc Bảo", "Biên tập viên Ban Kinh tế",
            "Hơn mười lăm năm làm báo kinh tế, phụ trách mảng kinh tế vĩ mô, doanh nghiệp và thị trường.",
            staff_role="bientap",
        ),
        Byline(
            "dinh-hong-nhung", "Đinh Hồng Nhung", "Cộng tác viên",
            "Cộng tác viên viết về văn hóa, sách và đời sống người lao động.",
            staff_role="ctv",
        ),
        Byline(
            "hoang-anh-tuan", "Hoàng Anh Tuấn", "Phóng viên Ban Tài chính",
            "Phóng viên mảng thuế, hải quan và kho bạc; từng công tác tại văn phòng đại diện phía Nam.",
        ),
        Byline(
            "minh-khoa", "Minh Khoa", "Phóng viên ảnh – video",
            "Phóng viên ảnh và dựng phim, thực hiện các phóng sự ảnh, video ngắn cho các nền tảng số của báo.",
        ),
        Byline(
            "nhom-du-lieu-taichinh", "Nhóm Dữ liệu – Đồ họa", "Ban Báo chí dữ liệu",
            "Nhóm phóng viên, kỹ thuật viên thực hiện các bài báo dữ liệu, đồ họa tương tác và infographic.",
        ),
        Byline(
            "pham-thanh-huyen", "Phạm Thanh Huyền", "Biên tập viên podcast",
            "Dẫn chương trình và biên tập các số podcast về tài chính cá nhân, nghề báo và công nghệ.",
        ),
    ),
)

NAMDINH = DemoUnit(
    slug="namdinh",
    name="Báo Nam Định",
    tagline="Tiếng nói của Đảng bộ, chính quyền và nhân dân tỉnh Nam Định",
    publication_name="Báo Nam Định",
    press_license="Giấy phép mẫu số 00/GP-STTTT (dữ liệu minh họa của Hội Tụ)",
    editor_in_chief="Ngô Quang Vinh",
    address="Số 1 đường Trần Hưng Đạo, thành phố Nam Định (địa chỉ minh họa)",
    phone="0228 000 0001",
    email="toasoan@namdinh.hoitu.example",
    logo_file="logo-namdinh.png",
    logo_colour="#b3261e",
    logo_initials="NĐ",
    social={
        "facebook_url": "https://www.facebook.com/hoitu.namdinh.demo",
        "youtube_url": "https://www.youtube.com/@hoitu-namdinh-demo",
        "tiktok_url": "https://www.tiktok.com/@hoitu.namdinh.demo",
    },
    sections=(
        Section("thoi-su", "Thời sự", "Tin tức hoạt động của tỉnh, các huyện, thành phố.", ("coast", "skyline")),
        Section("kinh-te", "Kinh tế", "Công nghiệp, làng nghề, thương mại và đầu tư trên địa bàn tỉnh.", ("skyline", "chart")),
        Section("nong-nghiep", "Nông nghiệp", "Nông nghiệp, nông dân, nông thôn mới và kinh tế biển.", ("fields", "river")),
        Section("van-hoa-du-lich", "Văn hóa – Du lịch", "Di sản, lễ hội, ẩm thực và điểm đến của Nam Định.", ("heritage", "coast")),
        Section("chuyen-doi-so", "Chuyển đổi số", "Chuyển đổi số báo chí, chính quyền số và xã hội số ở địa phương.", ("network",)),
        Section("doi-song", "Đời sống", "Đời sống dân sinh, giáo dục, y tế và những câu chuyện thường ngày.", ("river", "crowd")),
    ),
    staff=(
        Staff("phongvien", "Đỗ", "Mai Anh", "Phóng viên Ban Thời sự", "anh.do@namdinh.hoitu.example", REPORTER),
        Staff("ctv", "Lương", "Thị Thu", "Cộng tác viên mảng Văn hóa – Đời sống", "thu.luong@namdinh.hoitu.example", CONTRIBUTOR),
        Staff("bientap", "Vũ", "Đình Khôi", "Biên tập viên Ban Kinh tế – Nông nghiệp", "khoi.vu@namdinh.hoitu.example", DESK_EDITOR),
        Staff("truongban", "Tạ", "Văn Bình", "Trưởng ban Thời sự", "binh.ta@namdinh.hoitu.example", SECTION_HEAD, "thoi-su"),
        Staff("thuky", "Bùi", "Thanh Hương", "Thư ký tòa soạn", "huong.bui@namdinh.hoitu.example", MANAGING_EDITOR),
        Staff("tongbientap", "Ngô", "Quang Vinh", "Tổng biên tập", "vinh.ngo@namdinh.hoitu.example", EDITOR_IN_CHIEF),
        Staff("photongbientap", "Phan", "Ngọc Ánh", "Phó Tổng biên tập", "anh.phan@namdinh.hoitu.example", DEPUTY_EDITOR),
        Staff("phathanh", "Đặng", "Hải Yến", "Biên tập viên phát hành đa nền tảng", "yen.dang@namdinh.hoitu.example", DISTRIBUTION),
        Staff("quantri", "Cao", "Đức Thắng", "Quản trị tòa soạn", "thang.cao@namdinh.hoitu.example", UNIT_ADMIN),
    ),
    bylines=(
        Byline(
            "do-mai-anh", "Đỗ Mai Anh", "Phóng viên Ban Thời sự",
            "Phóng viên thời sự, theo dõi hoạt động của chính quyền tỉnh và các chương trình chuyển đổi số ở cơ sở.",
            staff_role="phongvien",
        ),
        Byline(
            "vu-dinh-khoi", "Vũ Đình Khôi", "Biên tập viên Ban Kinh tế – Nông nghiệp",
            "Gắn bó với nông thôn Nam Định hơn hai mươi năm, viết về lúa gạo, thủy sản, làng nghề và kinh tế hợp tác.",
            staff_role="bientap",
        ),
        Byline(
            "luong-thi-thu", "Lương Thị Thu", "Cộng tác viên",
            "Cộng tác viên viết về văn hóa dân gian, giáo dục và đời sống ở các huyện ven biển.",
            staff_role="ctv",
        ),
        Byline(
            "pham-hung", "Phạm Hùng", "Phóng viên thường trú khu vực ven biển",
            "Thường trú tại các huyện ven biển Giao Thủy, Hải Hậu, Nghĩa Hưng; theo dõi đê điều, thủy sản và đời sống ngư dân.",
        ),
        Byline(
            "thanh-tam", "Thanh Tâm", "Phóng viên Văn hóa – Du lịch",
            "Viết về di sản, lễ hội và ẩm thực đất Thành Nam.",
        ),
        Byline(
            "van-truong", "Văn Trường", "Phóng viên ảnh",
            "Phóng viên ảnh, ghi lại đời sống và lao động của người dân Nam Định qua nhiều mùa vụ.",
        ),
        Byline(
            "ngoc-lan", "Ngọc Lan", "Biên tập viên phát thanh – podcast",
            "Biên tập viên phát thanh, phụ trách các chương trình podcast của báo.",
        ),
    ),
)

UNITS = (TAICHINH, NAMDINH)

ADMIN_USERNAME = "admin"
# The shared media archive's manager works for every unit.
ARCHIVE_STAFF = Staff(
    "luutru", "Trịnh", "Thị Ngọc", "Quản lý kho tư liệu ảnh – video", "ngoc.trinh@hoitu.example", ARCHIVE_MANAGER
)
