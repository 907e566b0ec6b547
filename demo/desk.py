"""The demo newsroom's work in progress: stories at every stage of the
workflow and the desk's assignments, so the desk board and the daily plan
look like a working day. newsdesk.py has the product's services turn them
into pages, workflow states, assignments and notifications."""

from dataclasses import dataclass

from assets.text import ascii_slug

from . import content_namdinh, content_taichinh

# Where a story stands (newsdesk.py walks it there through the workflow).
DRAFT = "draft"
AT_DESK = "desk"  # submitted, waiting for the desk editor
AT_MANAGING_EDITOR = "managing_editor"  # approved by the desk
AT_EDITOR_IN_CHIEF = "editor_in_chief"  # approved by the managing editor
SENT_BACK = "sent_back"  # the managing editor asked for changes
SCHEDULED = "scheduled"  # scheduled by the editor-in-chief for later today
EMBARGOED = "embargoed"  # scheduled for the end of its embargo, tomorrow morning


@dataclass(frozen=True)
class DeskStory:
    section: str  # section slug
    title: str
    sapo: str
    paragraphs: tuple
    stage: str
    writer: str = "phongvien"  # username suffix of the staff member who writes it
    hours_ago: float = 2  # how long ago the last step happened
    comment: str = ""  # the reviewer's comment when sent back
    kicker: str = ""

    @property
    def slug(self):
        return ascii_slug(self.title)


@dataclass(frozen=True)
class DeskAssignment:
    title: str
    brief: str
    section: str
    # A workflows.AssignmentStatus value. The desk proposes, approves,
    # assigns or cancels; "in progress", "submitted" and "done" follow from
    # the story, which its assignee starts from the assignment.
    status: str
    proposed_by: str = "phongvien"
    assignees: tuple = ()
    # Hours from now (negative: past); "today" is later today.
    deadline: object = None
    planned: object = None
    priority: int = 2
    format: str = ""
    story: str = ""  # title of the DeskStory, or published demo story, written for it
    comments: tuple = ()  # (username suffix, text)


@dataclass(frozen=True)
class DeskPlan:
    stories: tuple
    assignments: tuple
    corrected: str  # title of a published story that gets a correction
    correction: str


def _published(module, title):
    """A published demo story's title, checked against its content module."""
    if title not in {story.title for story in module.STORIES}:
        raise ValueError(f"{title!r} is not a demo story")
    return title


TAICHINH = DeskPlan(
    stories=(
        DeskStory(
            "chuyen-doi-so",
            "Hóa đơn điện tử từ máy tính tiền: hộ kinh doanh cần chuẩn bị gì",
            "Từ đầu năm tới, nhiều hộ kinh doanh phải dùng hóa đơn điện tử khởi tạo từ máy tính tiền; "
            "chi phí và thao tác không phức tạp như nhiều người lo ngại.",
            (
                "Ghi nhận tại một số chợ và tuyến phố kinh doanh ở Hà Nội cho thấy phần lớn hộ kinh doanh đã nghe về quy định mới "
                "nhưng chưa biết bắt đầu từ đâu.",
                "Cơ quan thuế cho biết phần mềm kết nối được cung cấp miễn phí trong năm đầu và có tổng đài hỗ trợ hằng ngày.",
            ),
            DRAFT,
            hours_ago=1,
            kicker="Thuế",
        ),
        DeskStory(
            "chuyen-doi-so",
            "Kho bạc số: gần như mọi khoản chi ngân sách đã thanh toán không dùng tiền mặt",
            "Tỷ lệ giao dịch chi ngân sách qua kênh điện tử tại Kho bạc Nhà nước đã vượt 99%, "
            "rút ngắn thời gian thanh toán từ vài ngày xuống vài giờ.",
            (
                "Các đơn vị sử dụng ngân sách nay ký số và gửi chứng từ qua dịch vụ công trực tuyến thay vì mang hồ sơ giấy tới kho bạc.",
            ),
            DRAFT,
            hours_ago=5,
        ),
        DeskStory(
            "xa-hoi",
            "Điều chỉnh lương hưu: những điều người lao động cần biết",
            "Mức điều chỉnh, thời điểm áp dụng và cách tra cứu lương hưu mới được giải đáp trong bài viết.",
            ("Bài viết tổng hợp câu hỏi thường gặp của bạn đọc gửi về tòa soạn trong tuần qua.",),
            DRAFT,
            hours_ago=26,
        ),
        DeskStory(
            "van-hoa",
            "Những tờ báo Tết xưa trong bộ sưu tập của một nhà báo lão thành",
            "Hơn năm trăm số báo Xuân từ thập niên 1950 được một nhà báo hưu trí lưu giữ cẩn thận trong căn phòng nhỏ ở phố Hàng Bông.",
            ("Mỗi tờ báo là một lát cắt về đời sống, cách làm báo và cả cách người Hà Nội đón Tết qua từng thời kỳ.",),
            DRAFT,
            writer="ctv",
            hours_ago=30,
        ),
        DeskStory(
            "thoi-su",
            "Bộ Tài chính họp báo thường kỳ quý IV: tập trung tháo gỡ vướng mắc giải ngân",
            "Tại buổi họp báo, đại diện các đơn vị trả lời câu hỏi về giải ngân vốn đầu tư công, hoàn thuế giá trị gia tăng và giá xăng dầu.",
            (
                "Lãnh đạo Vụ Đầu tư cho biết các bộ, địa phương đã được yêu cầu báo cáo danh mục dự án chậm giải ngân trước ngày 15 tháng sau.",
                "Về hoàn thuế, cơ quan thuế cam kết xử lý hồ sơ đúng hạn và công khai tiến độ trên cổng thông tin.",
            ),
            AT_DESK,
            hours_ago=1.5,
            kicker="Họp báo",
        ),
        DeskStory(
            "kinh-te",
            "Chợ đầu mối phía Nam vào mùa hàng Tết",
            "Lượng hàng về các chợ đầu mối tăng dần, giá rau củ và trái cây ổn định nhờ nguồn cung dồi dào.",
            ("Các thương lái cho biết sức mua năm nay nhích lên so với cùng kỳ, nhất là ở nhóm trái cây đặc sản.",),
            AT_DESK,
            writer="ctv",
            hours_ago=4,
        ),
        DeskStory(
            "tai-chinh",
            "Thu ngân sách mười tháng đạt 92% dự toán",
            "Tổng thu ngân sách nhà nước mười tháng ước đạt 92% dự toán năm, tăng so với cùng kỳ nhờ thu nội địa khả quan.",
            (
                "Thu từ khu vực doanh nghiệp và thuế thu nhập cá nhân là hai khoản đóng góp lớn nhất vào mức tăng.",
                "Chi ngân sách vẫn bảo đảm các nhiệm vụ chi thường xuyên và trả nợ đúng hạn.",
            ),
            AT_MANAGING_EDITOR,
            hours_ago=3,
            kicker="Ngân sách",
        ),
        DeskStory(
            "kinh-te",
            "Xuất khẩu nông sản hướng tới kỷ lục mới",
            "Kim ngạch xuất khẩu nông, lâm, thủy sản có thể lập kỷ lục năm nay, với rau quả và cà phê dẫn đầu mức tăng.",
            ("Các doanh nghiệp xuất khẩu kỳ vọng thị trường tiếp tục thuận lợi trong những tháng cuối năm.",),
            AT_EDITOR_IN_CHIEF,
            hours_ago=2,
        ),
        DeskStory(
            "tai-chinh",
            "Thị trường trái phiếu doanh nghiệp phục hồi sau giai đoạn trầm lắng",
            "Giá trị phát hành trái phiếu doanh nghiệp quý này tăng mạnh, chủ yếu từ nhóm ngân hàng.",
            ("Giới phân tích cho rằng thị trường đang dần lấy lại niềm tin nhờ các quy định minh bạch hơn về công bố thông tin.",),
            SENT_BACK,
            hours_ago=6,
            comment="Cần thêm ý kiến chuyên gia và số liệu của Ủy ban Chứng khoán; tít còn dài, đề nghị rút gọn.",
        ),
        DeskStory(
            "chuyen-doi-so",
            "Cổng dịch vụ công ngành Tài chính thêm 50 thủ tục trực tuyến toàn trình",
            "Người dân và doanh nghiệp có thể nộp hồ sơ, thanh toán phí và nhận kết quả trực tuyến với 50 thủ tục mới.",
            ("Đây là đợt nâng cấp lớn nhất của cổng dịch vụ công kể từ khi đi vào hoạt động.",),
            SCHEDULED,
            hours_ago=1,
        ),
        DeskStory(
            "tai-chinh",
            "Chỉ số giá tiêu dùng tháng này tăng 0,3%",
            "Giá nhóm nhà ở, vật liệu xây dựng và thực phẩm là nguyên nhân chính đẩy chỉ số giá tiêu dùng tăng nhẹ.",
            ("Số liệu được công bố cùng lúc với báo cáo tình hình kinh tế – xã hội của cơ quan thống kê.",),
            EMBARGOED,
            hours_ago=2,
            kicker="Giá cả",
        ),
    ),
    assignments=(
        DeskAssignment(
            "Phỏng vấn chuyên gia về lộ trình bỏ thuế khoán",
            "Hộ kinh doanh chuyển sang kê khai thuế: lợi ích, khó khăn và những gì cơ quan thuế hỗ trợ.",
            "tai-chinh",
            "proposed",
        ),
        DeskAssignment(
            "Tuyến bài: ngân sách địa phương cuối năm",
            "Ba kỳ về thu, chi và nợ đọng xây dựng cơ bản ở các địa phương; số liệu từ Kho bạc.",
            "tai-chinh",
            "approved",
            deadline=48,
            priority=3,
        ),
        DeskAssignment(
            "Giá vàng trong nước biến động mạnh",
            "Cập nhật giá vàng miếng, vàng nhẫn trong ngày; ý kiến của Ngân hàng Nhà nước về bình ổn thị trường.",
            "kinh-te",
            "assigned",
            proposed_by="thuky",
            assignees=("phongvien",),
            deadline="today",
            planned="today",
            priority=4,
            comments=(("thuky", "Cần ảnh hiện trường tại các cửa hàng vàng lớn trước 15 giờ."),),
        ),
        DeskAssignment(
            "Hóa đơn điện tử từ máy tính tiền",
            "Hướng dẫn thực tế cho hộ kinh doanh; phỏng vấn cục thuế và hai hộ kinh doanh đã áp dụng.",
            "chuyen-doi-so",
            "in_progress",
            assignees=("phongvien",),
            deadline=6,
            planned=24,
            story="Hóa đơn điện tử từ máy tính tiền: hộ kinh doanh cần chuẩn bị gì",
        ),
        DeskAssignment(
            "Họp báo thường kỳ quý IV của Bộ Tài chính",
            "Tường thuật họp báo, chú ý các câu hỏi về giải ngân và hoàn thuế.",
            "thoi-su",
            "submitted",
            proposed_by="thuky",
            assignees=("phongvien",),
            deadline=-1,
            planned="today",
            priority=3,
            story="Bộ Tài chính họp báo thường kỳ quý IV: tập trung tháo gỡ vướng mắc giải ngân",
        ),
        DeskAssignment(
            "Phóng sự: một ngày trong tòa soạn hội tụ",
            "Ghi lại một ngày làm việc của tòa soạn từ giao ban sáng đến lên trang buổi tối.",
            "chuyen-doi-so",
            "done",
            proposed_by="thuky",
            assignees=("phongvien", "bientap"),
            deadline=-20,
            story=_published(content_taichinh, "Một ngày trong tòa soạn hội tụ"),
        ),
        DeskAssignment(
            "Sách hay về kinh tế học cho người trẻ",
            "Giới thiệu năm cuốn sách kinh tế học phổ thông mới xuất bản.",
            "van-hoa",
            "assigned",
            proposed_by="ctv",
            assignees=("ctv",),
            deadline=-5,
            comments=(("thuky", "Đã quá hạn, cộng tác viên báo lại tiến độ giúp."),),
        ),
        DeskAssignment(
            "Hội chợ hàng Việt cuối năm",
            "Đã có bài của cộng tác viên về chủ đề tương tự; hủy để tránh trùng.",
            "kinh-te",
            "cancelled",
            proposed_by="ctv",
        ),
    ),
    corrected=_published(content_taichinh, "Mục tiêu chuyển đổi số báo chí ngành Tài chính đến năm 2030 qua các con số"),
    correction="Bản trước ghi nhầm chỉ tiêu dữ liệu và AI đến năm 2025 là 60%; đúng là 50%, như trong biểu đồ và bảng.",
)

NAMDINH = DeskPlan(
    stories=(
        DeskStory(
            "kinh-te",
            "Làng nghề dệt may Dương Nhạn vào vụ hàng Tết",
            "Các xưởng dệt ở Dương Nhạn chạy máy gần như suốt ngày đêm để kịp đơn hàng cuối năm.",
            (
                "Nhiều hộ thuê thêm lao động thời vụ, trả công theo sản phẩm.",
                "Chủ các xưởng cho biết đơn hàng năm nay đến sớm hơn và đều hơn năm trước.",
            ),
            DRAFT,
            hours_ago=2,
            kicker="Làng nghề",
        ),
        DeskStory(
            "chuyen-doi-so",
            "Quét mã thanh toán ở chợ Rồng",
            "Nhiều tiểu thương chợ Rồng đã dán mã thanh toán ngay tại quầy, khách mua không cần mang tiền mặt.",
            ("Ban quản lý chợ phối hợp với các ngân hàng mở quầy hướng dẫn vào các buổi sáng cuối tuần.",),
            DRAFT,
            hours_ago=7,
        ),
        DeskStory(
            "nong-nghiep",
            "Vụ đông trên đất bãi ven sông Hồng",
            "Nông dân các xã ven sông tranh thủ nước rút để gieo trồng ngô, khoai tây và rau màu vụ đông.",
            ("Diện tích vụ đông năm nay dự kiến tăng nhờ giá rau màu ổn định.",),
            DRAFT,
            hours_ago=28,
        ),
        DeskStory(
            "van-hoa-du-lich",
            "Giữ lửa hát văn ở các câu lạc bộ cơ sở",
            "Hàng chục câu lạc bộ hát văn ở thành phố và các huyện duy trì sinh hoạt đều đặn, thu hút cả người trẻ.",
            ("Nhiều nghệ nhân tình nguyện truyền dạy miễn phí cho học viên.",),
            DRAFT,
            writer="ctv",
            hours_ago=20,
        ),
        DeskStory(
            "thoi-su",
            "Tỉnh họp trực tuyến triển khai nhiệm vụ những tháng cuối năm",
            "Hội nghị kết nối tới các huyện, thành phố, tập trung vào giải ngân vốn đầu tư công và chuẩn bị Tết cho người dân.",
            (
                "Lãnh đạo tỉnh yêu cầu các địa phương rà soát từng dự án chậm tiến độ và báo cáo nguyên nhân.",
                "Công tác chăm lo Tết cho hộ nghèo, gia đình chính sách được giao cụ thể cho từng sở, ngành.",
            ),
            AT_DESK,
            hours_ago=1,
            kicker="Chỉ đạo, điều hành",
        ),
        DeskStory(
            "doi-song",
            "Trường học vùng biển Giao Thủy đón học sinh trở lại sau bão",
            "Sau ba ngày khắc phục, các trường ở vùng biển đã đón học sinh trở lại lớp.",
            ("Giáo viên, phụ huynh và bộ đội cùng dọn dẹp sân trường, sửa lại mái tôn bị tốc.",),
            AT_DESK,
            writer="ctv",
            hours_ago=3,
        ),
        DeskStory(
            "van-hoa-du-lich",
            "Chim di cư về bãi bồi cửa Ba Lạt",
            "Hàng nghìn cá thể chim di cư đã về bãi bồi cửa Ba Lạt, thu hút khách du lịch và người yêu thiên nhiên.",
            ("Ban quản lý vườn khuyến cáo du khách giữ khoảng cách và không dùng thiết bị bay khi quan sát chim.",),
            AT_MANAGING_EDITOR,
            hours_ago=4,
        ),
        DeskStory(
            "nong-nghiep",
            "Giá lúa vụ mùa tăng, nông dân phấn khởi",
            "Giá lúa tươi tại ruộng cao hơn vụ trước, nhiều hộ có lãi khá sau vụ mùa.",
            ("Các hợp tác xã đã ký hợp đồng bao tiêu với doanh nghiệp cho vụ xuân tới.",),
            AT_EDITOR_IN_CHIEF,
            hours_ago=2,
            kicker="Nông nghiệp",
        ),
        DeskStory(
            "kinh-te",
            "Khu công nghiệp Mỹ Thuận thu hút thêm ba dự án",
            "Ba dự án sản xuất linh kiện và dệt may vừa được cấp chứng nhận đầu tư vào Khu công nghiệp Mỹ Thuận.",
            ("Các dự án dự kiến tạo việc làm cho khoảng hai nghìn lao động địa phương.",),
            SENT_BACK,
            hours_ago=5,
            comment="Cần xác minh lại tổng vốn đăng ký với Ban Quản lý các khu công nghiệp; thiếu ảnh hiện trường.",
        ),
        DeskStory(
            "van-hoa-du-lich",
            "Khai mạc Tuần văn hóa – du lịch Thành Nam",
            "Tuần văn hóa – du lịch với chợ quê, trình diễn ẩm thực và hát văn diễn ra tại quảng trường trung tâm.",
            ("Ban tổ chức mong đợi hàng chục nghìn lượt khách trong bảy ngày diễn ra sự kiện.",),
            SCHEDULED,
            hours_ago=1,
        ),
        DeskStory(
            "doi-song",
            "Công bố kết quả kỳ thi chọn học sinh giỏi cấp tỉnh",
            "Hơn một nghìn học sinh đạt giải trong kỳ thi chọn học sinh giỏi cấp tỉnh năm nay.",
            ("Danh sách chi tiết được Sở Giáo dục và Đào tạo công bố cùng thời điểm trên cổng thông tin của sở.",),
            EMBARGOED,
            hours_ago=2,
        ),
    ),
    assignments=(
        DeskAssignment(
            "Nghề làm bánh nhãn Hải Hậu mùa cuối năm",
            "Câu chuyện làng nghề và thương hiệu bánh nhãn; ảnh lò bánh.",
            "van-hoa-du-lich",
            "proposed",
        ),
        DeskAssignment(
            "Loạt bài: đê biển sau mùa bão",
            "Hiện trạng các tuyến đê xung yếu ở Giao Thủy, Hải Hậu, Nghĩa Hưng và kế hoạch tu bổ.",
            "thoi-su",
            "approved",
            deadline=72,
            priority=3,
        ),
        DeskAssignment(
            "Giá rau xanh tăng sau mưa lớn",
            "Khảo sát giá tại chợ Rồng, chợ Mỹ Tho; ý kiến của người trồng rau.",
            "doi-song",
            "assigned",
            proposed_by="thuky",
            assignees=("phongvien",),
            deadline="today",
            planned="today",
            priority=4,
            comments=(("thuky", "Gửi bài trước 16 giờ để kịp lên trang chiều."),),
        ),
        DeskAssignment(
            "Làng nghề dệt may Dương Nhạn",
            "Không khí sản xuất cuối năm, thu nhập người lao động.",
            "kinh-te",
            "in_progress",
            assignees=("phongvien",),
            deadline=8,
            planned=24,
            story="Làng nghề dệt may Dương Nhạn vào vụ hàng Tết",
        ),
        DeskAssignment(
            "Hội nghị trực tuyến nhiệm vụ cuối năm",
            "Tường thuật hội nghị, chú ý chỉ đạo về giải ngân và chăm lo Tết.",
            "thoi-su",
            "submitted",
            proposed_by="thuky",
            assignees=("phongvien",),
            deadline=-1,
            planned="today",
            priority=3,
            story="Tỉnh họp trực tuyến triển khai nhiệm vụ những tháng cuối năm",
        ),
        DeskAssignment(
            "Phòng chống bão ở các huyện ven biển",
            "Tình hình chuẩn bị của các huyện ven biển trước khi bão vào.",
            "thoi-su",
            "done",
            proposed_by="thuky",
            assignees=("phongvien",),
            deadline=-30,
            story=_published(content_namdinh, "Các huyện ven biển chủ động phương án phòng chống bão"),
        ),
        DeskAssignment(
            "Chợ hoa Viềng chuẩn bị mùa xuân",
            "Người trồng hoa, cây cảnh chuẩn bị cho phiên chợ Viềng.",
            "van-hoa-du-lich",
            "assigned",
            proposed_by="ctv",
            assignees=("ctv",),
            deadline=-6,
            comments=(("thuky", "Đã quá hạn; nếu chưa có ảnh thì gửi bài trước, ảnh bổ sung sau."),),
        ),
        DeskAssignment(
            "Giải bóng đá thiếu niên toàn tỉnh",
            "Giải hoãn sang năm sau; hủy đề tài.",
            "doi-song",
            "cancelled",
            proposed_by="ctv",
        ),
    ),
    corrected=_published(content_namdinh, "Lộ trình chuyển đổi số báo chí Nam Định đến năm 2030"),
    correction="Bản trước ghi nhầm chỉ tiêu đào tạo đến năm 2025 là 50%; đúng là 100%, như trong biểu đồ.",
)

PLANS = {"taichinh": TAICHINH, "namdinh": NAMDINH}


def _check(plan, module):
    """Stories are found again by slug: a headline that slugs like a
    published story's would silently take its place. An assignment's story
    starts as the draft "Start writing" makes in the assignment's section,
    so it must be a story of that section."""
    published = {story.slug for story in module.STORIES}
    for story in plan.stories:
        if story.slug in published:
            raise ValueError(f"Desk story {story.title!r} has the slug of a published demo story")
    sections = {story.title: story.section for story in (*plan.stories, *module.STORIES)}
    for assignment in plan.assignments:
        if assignment.story and assignment.story not in sections:
            raise ValueError(f"Assignment {assignment.title!r} links to an unknown story {assignment.story!r}")
        if assignment.story and sections[assignment.story] != assignment.section:
            raise ValueError(f"Assignment {assignment.title!r} is in {assignment.section!r} but its story in {sections[assignment.story]!r}")


_check(TAICHINH, content_taichinh)
_check(NAMDINH, content_namdinh)
