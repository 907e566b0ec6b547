"""Demo stories of "Báo Nam Định", a provincial newspaper.

The digital-transformation stories follow the province's plan implementing
the national press strategy (Quyết định 348/QĐ-TTg) to 2025 and 2030.
Places, crafts and dishes are real; events and people quoted are invented
for the demo, and figures in charts are illustrative.
"""

from .stories import (
    INFOGRAPHIC,
    LONGFORM,
    PHOTO,
    PODCAST,
    STANDARD,
    VIDEO,
    Audio,
    Chart,
    FactBox,
    Gallery,
    Heading,
    Picture,
    Quote,
    Related,
    Story,
    Table,
    Video,
)

CDS = "chuyen-doi-so"
NN = "nong-nghiep"
VHDL = "van-hoa-du-lich"

STORIES = [
    Story(
        section=CDS,
        format=STANDARD,
        kicker="Chuyển đổi số báo chí",
        title="Nam Định ban hành Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí",
        sapo=(
            "Kế hoạch của UBND tỉnh đặt mục tiêu đến năm 2030, 100% cơ quan báo chí của tỉnh đưa nội dung lên nền tảng số, "
            "vận hành mô hình tòa soạn hội tụ và tăng doanh thu tối thiểu 20%."
        ),
        body=(
            "Căn cứ Quyết định số 348/QĐ-TTg ngày 06/4/2023 của Thủ tướng Chính phủ phê duyệt Chiến lược chuyển đổi số báo "
            "chí đến năm 2025, định hướng đến năm 2030, UBND tỉnh Nam Định đã ban hành Kế hoạch thực hiện Chiến lược trên địa bàn tỉnh.",
            "Kế hoạch hướng tới xây dựng các cơ quan báo chí tỉnh theo hướng chuyên nghiệp, nhân văn, hiện đại; giữ vững vai trò "
            "dẫn dắt, định hướng dư luận xã hội; đổi mới trải nghiệm của độc giả và tạo nguồn thu mới.",
            Heading("Mục tiêu đến năm 2025"),
            FactBox(
                "Các chỉ tiêu",
                (
                    "50% cơ quan báo chí đưa nội dung lên các nền tảng số, ưu tiên nền tảng trong nước.",
                    "50% cơ quan báo chí sử dụng nền tảng phân tích, xử lý dữ liệu tổng hợp tập trung, ứng dụng trí tuệ nhân tạo.",
                    "50% cơ quan báo chí vận hành mô hình tòa soạn hội tụ.",
                    "50% cơ quan báo chí tăng doanh thu tối thiểu 20%.",
                    "100% lãnh đạo, phóng viên, biên tập viên được đào tạo kỹ năng chuyển đổi số báo chí.",
                    "100% cơ quan báo chí điện tử có giải pháp an toàn thông tin cấp độ 3 trở lên.",
                ),
            ),
            "Đến năm 2030, các chỉ tiêu về nền tảng số, dữ liệu, tòa soạn hội tụ và tăng doanh thu đều được nâng lên 100%.",
            "Kinh phí thực hiện từ ngân sách nhà nước theo phân cấp hiện hành, lồng ghép trong các chương trình, đề án liên quan "
            "và nguồn huy động hợp pháp khác. Hằng năm, các cơ quan báo chí báo cáo kết quả thực hiện trước ngày 15/11.",
        ),
        tags=("chuyển đổi số", "báo chí", "UBND tỉnh"),
        authors=("do-mai-anh",),
        age=26,
    ),
    Story(
        section=CDS,
        format=LONGFORM,
        kicker="Tòa soạn hội tụ",
        title="Báo chí Nam Định trước cuộc chuyển mình sang tòa soạn hội tụ",
        sapo=(
            "Một tòa soạn địa phương với đội ngũ không lớn, phải cùng lúc làm báo in, báo điện tử, phát thanh và mạng xã hội. "
            "Chuyển đổi số với họ là lời giải cho bài toán làm nhiều hơn với nguồn lực có hạn."
        ),
        body=(
            "Buổi sáng ở tòa soạn bắt đầu bằng cuộc giao ban trực tuyến. Phóng viên thường trú ở Hải Hậu, Giao Thủy gửi ảnh đê "
            "biển, cánh đồng về tòa soạn ngay từ sáng sớm. Trên màn hình chung, thư ký tòa soạn sắp xếp đề tài cho từng nền "
            "tảng: tin nhanh lên trang điện tử, video ngắn lên mạng xã hội, bài sâu cho số báo in cuối tuần.",
            Picture("Giao ban trực tuyến giúp phóng viên ở các huyện cùng tham gia lên kế hoạch đề tài.", theme="network", layout="full"),
            Heading("Làm nhiều hơn với nguồn lực có hạn"),
            "Khác với các cơ quan báo chí trung ương, tòa soạn địa phương có đội ngũ mỏng. Một phóng viên thường phải kiêm viết, "
            "chụp ảnh và quay phim. Mô hình tòa soạn hội tụ giúp thông tin được thu thập một lần, dùng cho nhiều sản phẩm.",
            "Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí của tỉnh đặt mục tiêu 50% cơ quan báo chí vận hành mô hình tòa "
            "soạn hội tụ vào năm 2025 và 100% vào năm 2030, phù hợp với sự phát triển của khoa học, công nghệ tiên tiến.",
            Quote(
                "Chúng tôi không thể tuyển thêm nhiều người, nên phải làm việc thông minh hơn: một kho tư liệu chung, một quy trình "
                "chung, và số liệu để biết độc giả cần gì.",
                "Bùi Thanh Hương, Thư ký tòa soạn",
            ),
            Heading("Nền tảng số của riêng tỉnh"),
            "Kế hoạch yêu cầu ứng dụng các công cụ thu thập, xử lý dữ liệu, đánh giá, dự báo chất lượng báo chí; phát triển nền "
            "tảng phát thanh số, truyền hình số trực tuyến và nền tảng báo chí điện tử.",
            Chart(
                "Lộ trình của các cơ quan báo chí tỉnh (%)",
                """Chỉ tiêu,2025,2030
Nền tảng số,50,100
Dữ liệu và AI,50,100
Mô hình hội tụ,50,100
Tăng thu ≥ 20%,50,100""",
                source="Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí tỉnh Nam Định",
            ),
            Picture("Dữ liệu giúp tòa soạn biết độc giả đọc gì, ở đâu và vào lúc nào.", theme="chart"),
            Heading("Người làm báo học lại"),
            "Các lớp tập huấn do cơ quan quản lý thông tin, truyền thông tổ chức tập trung vào kỹ năng cơ bản cần thiết cho chuyển "
            "đổi số, an toàn thông tin và phân tích dữ liệu. Mục tiêu đặt ra là 100% lãnh đạo, phóng viên, biên tập viên được "
            "đào tạo, bồi dưỡng.",
            FactBox(
                "Ai làm gì trong Kế hoạch",
                (
                    "Cơ quan quản lý thông tin, truyền thông: chủ trì, theo dõi, đôn đốc và báo cáo.",
                    "Cơ quan kế hoạch – đầu tư: tham mưu các dự án đầu tư công liên quan.",
                    "Sở Tài chính: tham mưu bố trí kinh phí chi thường xuyên.",
                    "Cơ quan chủ quản: phê duyệt kế hoạch, tạo điều kiện về cơ sở vật chất, tài chính.",
                    "Các cơ quan báo chí: xây dựng và triển khai kế hoạch chuyển đổi số của mình.",
                ),
            ),
            Quote(
                "Độc giả quê mình nay đọc báo trên điện thoại, xem thời sự tỉnh trên mạng xã hội. Báo phải đến được nơi độc giả đang ở.",
                "Ngô Quang Vinh, Tổng biên tập",
            ),
            "Chặng đường đến năm 2030 còn nhiều việc phải làm: từ đầu tư hạ tầng, đào tạo con người đến tìm mô hình kinh doanh "
            "mới. Nhưng những thay đổi nhỏ mỗi ngày ở tòa soạn đã cho thấy hướng đi đúng.",
            Related(("Nam Định ban hành Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí",)),
        ),
        tags=("chuyển đổi số", "tòa soạn hội tụ", "báo chí"),
        authors=("do-mai-anh", "van-truong"),
        age=2,
    ),
    Story(
        section=CDS,
        format=INFOGRAPHIC,
        kicker="Lộ trình 2030",
        title="Lộ trình chuyển đổi số báo chí Nam Định đến năm 2030",
        sapo="Các chỉ tiêu chính trong Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí của tỉnh, so sánh hai mốc 2025 và 2030.",
        body=(
            "Kế hoạch của tỉnh đặt các chỉ tiêu ở mức 50% cho năm 2025 và nâng lên 100% vào năm 2030.",
            Chart(
                "Chỉ tiêu chuyển đổi số báo chí của tỉnh (%)",
                """Chỉ tiêu,2025,2030
Nền tảng số,50,100
Dữ liệu và AI,50,100
Mô hình hội tụ,50,100
Tăng doanh thu,50,100
Đào tạo,100,100""",
                source="Kế hoạch thực hiện Chiến lược chuyển đổi số báo chí tỉnh Nam Định",
            ),
            Table(
                "Nhiệm vụ, giải pháp trọng tâm",
                (
                    ("Nhóm nhiệm vụ", "Nội dung chính"),
                    ("Nâng cao nhận thức", "Tuyên truyền, biểu dương tổ chức, cá nhân có sáng kiến"),
                    ("Sản phẩm báo chí số", "Mô hình thông tin mới, gói sản phẩm theo nhóm độc giả, tự động hóa sản xuất"),
                    ("Nền tảng số", "Phân tích dữ liệu, phát thanh số, truyền hình số, quản lý tòa soạn điện tử"),
                    ("Nguồn nhân lực", "Tập huấn kỹ năng số, an toàn thông tin, phân tích dữ liệu"),
                    ("Hợp tác", "Học tập kinh nghiệm các địa phương có báo chí số phát triển"),
                ),
            ),
        ),
        tags=("chuyển đổi số", "infographic", "báo chí"),
        authors=("vu-dinh-khoi",),
        age=21,
    ),
    Story(
        section=CDS,
        format=STANDARD,
        kicker="Đào tạo",
        title="Tập huấn kỹ năng số cho phóng viên, biên tập viên các cơ quan báo chí tỉnh",
        sapo="Lớp tập huấn tập trung vào sản xuất video trên điện thoại, phân tích dữ liệu độc giả và an toàn thông tin khi tác nghiệp.",
        body=(
            "Thực hiện Kế hoạch chuyển đổi số báo chí của tỉnh, lớp tập huấn kỹ năng số đã được tổ chức cho lãnh đạo, phóng "
            "viên, biên tập viên các cơ quan báo chí trên địa bàn.",
            "Học viên được thực hành quay, dựng video ngắn bằng điện thoại, sử dụng công cụ phân tích lượng truy cập và nhận "
            "diện các hình thức tấn công mạng phổ biến.",
            Quote("Chỉ sau hai ngày, tôi đã tự làm được video tin nhanh ngay tại cánh đồng.", "Một phóng viên tham gia lớp học"),
            "Kế hoạch đặt mục tiêu 100% lãnh đạo, phóng viên, biên tập viên được đào tạo, bồi dưỡng kiến thức, kỹ năng về chuyển "
            "đổi số báo chí.",
        ),
        tags=("đào tạo", "chuyển đổi số", "báo chí"),
        authors=("do-mai-anh",),
        age=60,
    ),
    Story(
        section=CDS,
        format=STANDARD,
        kicker="Phát thanh, truyền hình số",
        title="Xem thời sự tỉnh nhà trên điện thoại",
        sapo="Nền tảng phát thanh, truyền hình số trực tuyến giúp người Nam Định ở xa quê theo dõi tin tức tỉnh nhà mọi lúc, mọi nơi.",
        body=(
            "Anh Trần Văn Hải, quê Nghĩa Hưng, làm việc tại Bình Dương, tối nào cũng mở điện thoại xem bản tin thời sự của tỉnh. "
            "\"Xem tin quê nhà thấy gần gia đình hơn\", anh nói.",
            "Kế hoạch chuyển đổi số báo chí của tỉnh yêu cầu ứng dụng nền tảng phát thanh số và truyền hình số trực tuyến, đưa "
            "nội dung lên các nền tảng số, ưu tiên nền tảng trong nước.",
            "Các chương trình được phát lại theo yêu cầu, có phụ đề cho người xem không bật tiếng và được chia thành từng đoạn "
            "ngắn cho mạng xã hội.",
        ),
        tags=("truyền hình số", "chuyển đổi số"),
        authors=("do-mai-anh",),
        age=98,
    ),
    Story(
        section=CDS,
        format=VIDEO,
        kicker="Tòa soạn số",
        title="Tòa soạn hội tụ của Báo Nam Định vận hành thử nghiệm",
        sapo="Video ngắn ghi lại những ngày đầu vận hành thử nghiệm quy trình tòa soạn hội tụ.",
        body=(
            Video("Quy trình tin bài mới: thu thập một lần, xuất bản trên nhiều nền tảng."),
            "Giai đoạn thử nghiệm tập trung vào kho tư liệu dùng chung và bàn điều phối đa nền tảng.",
            "Sau ba tháng, tòa soạn sẽ đánh giá, điều chỉnh quy trình trước khi áp dụng chính thức.",
            Related(("Báo chí Nam Định trước cuộc chuyển mình sang tòa soạn hội tụ",)),
        ),
        tags=("tòa soạn hội tụ", "video", "chuyển đổi số"),
        authors=("van-truong",),
        age=16,
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Phòng chống thiên tai",
        title="Các huyện ven biển chủ động phương án phòng chống bão",
        sapo="Giao Thủy, Hải Hậu, Nghĩa Hưng rà soát các trọng điểm đê điều, chuẩn bị vật tư và phương án sơ tán dân trước mùa mưa bão.",
        body=(
            "Với bờ biển dài khoảng 72 km, Nam Định luôn xác định phòng chống thiên tai là nhiệm vụ thường xuyên. Trước mùa mưa "
            "bão, các huyện ven biển đã kiểm tra toàn bộ hệ thống đê, kè và cống.",
            "Tại các trọng điểm xung yếu, vật tư dự phòng như rọ thép, bao tải, đá hộc được tập kết sẵn. Lực lượng xung kích ở "
            "các xã được tổ chức diễn tập theo phương án \"bốn tại chỗ\".",
            Quote("Chúng tôi không chờ bão đến mới lo, mà chuẩn bị từ đầu mùa.", "Chủ tịch UBND một xã ven biển"),
            "Các tàu thuyền đánh bắt xa bờ được yêu cầu duy trì liên lạc thường xuyên, cập nhật bản tin dự báo thời tiết.",
        ),
        tags=("phòng chống thiên tai", "đê biển", "Hải Hậu"),
        authors=("pham-hung",),
        age=5,
        art="coast",
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Doanh nghiệp",
        title="Lãnh đạo tỉnh đối thoại với doanh nghiệp, tháo gỡ vướng mắc về mặt bằng sản xuất",
        sapo="Hơn một trăm doanh nghiệp gửi câu hỏi về đất đai, thủ tục đầu tư và nguồn nhân lực tới hội nghị đối thoại.",
        body=(
            "Hội nghị đối thoại giữa lãnh đạo tỉnh với cộng đồng doanh nghiệp được tổ chức định kỳ nhằm lắng nghe và tháo gỡ "
            "kịp thời các khó khăn trong sản xuất kinh doanh.",
            "Nhiều ý kiến tập trung vào thủ tục giao đất, thuê đất, thời gian thẩm định dự án và nguồn lao động có tay nghề.",
            "Đại diện các sở, ngành đã trả lời trực tiếp tại hội nghị; các kiến nghị chưa thể giải quyết ngay được giao cơ quan "
            "chuyên môn xử lý, trả lời bằng văn bản trong thời hạn cụ thể.",
        ),
        tags=("doanh nghiệp", "cải cách hành chính"),
        authors=("do-mai-anh",),
        age=33,
        art="skyline",
    ),
    Story(
        section="thoi-su",
        format=PHOTO,
        kicker="Đê điều",
        title="Đê biển Hải Hậu trước mùa mưa bão",
        sapo="Những tuyến đê vững chãi và người giữ đê ngày đêm canh biển.",
        body=(
            "Hải Hậu có hơn ba mươi cây số đê biển. Mỗi mùa mưa bão, những tuyến đê này là lá chắn cho hàng chục nghìn hộ dân.",
            Gallery(
                "Người giữ đê",
                (
                    ("Tuyến đê biển Hải Hậu buổi sớm.", "coast"),
                    ("Sóng đánh vào chân kè ở đoạn xung yếu.", "coast"),
                    ("Lực lượng xung kích diễn tập hộ đê.", "crowd"),
                    ("Chiều trên đê, những cánh chim bay về phía rừng ngập mặn.", "coast"),
                ),
            ),
            Related(("Các huyện ven biển chủ động phương án phòng chống bão",)),
        ),
        tags=("đê biển", "Hải Hậu", "phóng sự ảnh"),
        authors=("van-truong",),
        age=44,
        art="coast",
    ),
    Story(
        section="thoi-su",
        format=VIDEO,
        kicker="Phòng chống thiên tai",
        title="Gia cố đê biển trước mùa bão",
        sapo="Video ghi lại công việc gia cố các đoạn đê xung yếu tại các huyện ven biển.",
        body=(
            Video("Gia cố đê biển tại các huyện ven biển."),
            "Các đoạn đê xung yếu được ưu tiên gia cố trước, bảo đảm an toàn cho người dân và sản xuất trong mùa mưa bão.",
        ),
        tags=("đê biển", "video", "phòng chống thiên tai"),
        authors=("van-truong", "pham-hung"),
        age=120,
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Giao thông",
        title="Đẩy nhanh tiến độ các tuyến đường kết nối vùng ven biển",
        sapo="Các tuyến đường mới mở ra cơ hội phát triển du lịch, công nghiệp và thủy sản cho các huyện phía Nam của tỉnh.",
        body=(
            "Những tuyến đường kết nối vùng ven biển được kỳ vọng rút ngắn thời gian di chuyển từ trung tâm tỉnh xuống các huyện "
            "phía Nam, mở ra không gian phát triển mới.",
            "Chủ đầu tư và nhà thầu đang tăng ca, tận dụng thời tiết thuận lợi để thi công. Công tác giải phóng mặt bằng được "
            "các địa phương phối hợp thực hiện.",
            "Người dân dọc tuyến mong công trình sớm hoàn thành để việc đi lại, vận chuyển nông sản thuận tiện hơn.",
        ),
        tags=("giao thông", "đầu tư công"),
        authors=("pham-hung",),
        age=170,
        art="skyline",
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Công nghiệp",
        title="Khu công nghiệp Mỹ Thuận hút thêm nhà đầu tư",
        sapo="Hạ tầng hoàn thiện, vị trí thuận lợi và thủ tục được rút gọn giúp khu công nghiệp thu hút thêm các dự án sản xuất.",
        body=(
            "Nằm gần trục giao thông lớn, khu công nghiệp Mỹ Thuận đang trở thành điểm đến của nhiều doanh nghiệp sản xuất "
            "linh kiện, dệt may và chế biến.",
            "Ban quản lý các khu công nghiệp cho biết tỉnh áp dụng cơ chế một đầu mối, hỗ trợ nhà đầu tư từ khâu tìm hiểu đến "
            "khi dự án đi vào hoạt động.",
            "Cùng với thu hút đầu tư, tỉnh chú trọng đào tạo nghề cho lao động địa phương và quy hoạch nhà ở cho công nhân.",
        ),
        tags=("khu công nghiệp", "đầu tư"),
        authors=("vu-dinh-khoi",),
        age=12,
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Làng nghề",
        title="Làng nghề cơ khí Vân Chàng vào mùa đơn hàng",
        sapo="Tiếng búa, tiếng máy rộn ràng từ sáng sớm; làng nghề cơ khí lâu đời của huyện Nam Trực đang chuyển mình với máy móc hiện đại.",
        body=(
            "Làng Vân Chàng nổi tiếng với nghề rèn, cơ khí từ hàng trăm năm nay. Từ những chiếc dao, cuốc, liềm, làng nghề nay "
            "sản xuất cả phụ tùng, kết cấu thép cho các công trình.",
            "Nhiều xưởng đã đầu tư máy cắt CNC, máy chấn gấp tự động, nâng cao năng suất và độ chính xác.",
            Quote("Giữ nghề của cha ông nhưng phải đổi mới, không thì không cạnh tranh được.", "Chủ một xưởng cơ khí trong làng"),
            "Tuy nhiên, vấn đề môi trường và mặt bằng sản xuất vẫn là bài toán cần lời giải lâu dài cho làng nghề.",
        ),
        tags=("làng nghề", "Vân Chàng", "cơ khí"),
        authors=("vu-dinh-khoi",),
        age=72,
        art="skyline",
    ),
    Story(
        section="kinh-te",
        format=INFOGRAPHIC,
        kicker="Xuất khẩu",
        title="Kim ngạch xuất khẩu của tỉnh theo quý",
        sapo="Dệt may, da giày và hàng nông sản chế biến tiếp tục là những nhóm hàng xuất khẩu chủ lực.",
        body=(
            "Biểu đồ minh họa kim ngạch xuất khẩu theo quý và cơ cấu nhóm hàng xuất khẩu chủ lực của tỉnh.",
            Chart(
                "Kim ngạch xuất khẩu theo quý (triệu USD, minh họa)",
                """Quý,Năm trước,Năm nay
Quý I,820,905
Quý II,870,960
Quý III,910,1.020
Quý IV,950,1.080""",
            ),
            Chart(
                "Cơ cấu nhóm hàng xuất khẩu (%)",
                """Nhóm hàng,Tỷ trọng
Dệt may,48
Da giày,17
Nông sản,12
Cơ khí,9
Khác,14""",
            ),
            Table(
                "Thị trường xuất khẩu chính (minh họa)",
                (
                    ("Thị trường", "Nhóm hàng chính"),
                    ("Hoa Kỳ", "Dệt may, da giày"),
                    ("Nhật Bản", "Dệt may, nông sản chế biến"),
                    ("Hàn Quốc", "Dệt may, cơ khí"),
                    ("Liên minh châu Âu", "Da giày, dệt may"),
                ),
            ),
        ),
        tags=("xuất khẩu", "infographic", "dệt may"),
        authors=("vu-dinh-khoi",),
        age=80,
        art="chart",
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Dệt may",
        title="Thành phố dệt tìm hướng đi mới cho ngành dệt may",
        sapo="Từ truyền thống của nhà máy dệt nổi tiếng một thời, ngành dệt may Nam Định đang chuyển sang sản xuất xanh và thiết kế riêng.",
        body=(
            "Nam Định từng được biết đến là \"thành phố dệt\" với nhà máy dệt lớn bậc nhất Đông Dương. Ngày nay, dệt may vẫn là "
            "ngành xuất khẩu chủ lực của tỉnh.",
            "Trước yêu cầu về sản xuất xanh của các thị trường lớn, nhiều doanh nghiệp đã đầu tư điện mặt trời áp mái, xử lý "
            "nước thải và sử dụng nguyên liệu tái chế.",
            "Một số doanh nghiệp bắt đầu xây dựng đội ngũ thiết kế riêng, hướng tới những đơn hàng có giá trị gia tăng cao hơn.",
        ),
        tags=("dệt may", "sản xuất xanh"),
        authors=("vu-dinh-khoi",),
        age=150,
    ),
    Story(
        section="kinh-te",
        format=PODCAST,
        kicker="Podcast Chuyện làng quê",
        title="Khởi nghiệp từ đặc sản quê hương",
        sapo="Những người trẻ trở về quê, đưa nước mắm, gạo tám, bánh nhãn lên sàn thương mại điện tử và kể câu chuyện sản phẩm quê mình.",
        body=(
            Audio("Podcast Chuyện làng quê – số 5: Khởi nghiệp từ đặc sản."),
            "Trong số này, chúng tôi trò chuyện với những người trẻ đã chọn khởi nghiệp từ sản phẩm của chính quê hương.",
            FactBox(
                "Kinh nghiệm từ khách mời",
                (
                    "Bắt đầu từ một sản phẩm, làm thật tốt trước khi mở rộng.",
                    "Đăng ký sản phẩm OCOP để có chứng nhận chất lượng.",
                    "Kể câu chuyện của làng nghề và người làm ra sản phẩm.",
                ),
            ),
            "Podcast Chuyện làng quê phát hành vào tối thứ Bảy hằng tuần.",
        ),
        tags=("khởi nghiệp", "podcast", "OCOP"),
        authors=("ngoc-lan",),
        age=38,
        art="studio",
    ),
    Story(
        section=NN,
        format=STANDARD,
        kicker="Nông nghiệp sạch",
        title="Mô hình lúa – tôm ở Giao Thủy cho thu nhập cao",
        sapo="Trên cùng một diện tích, nông dân vừa cấy lúa vừa nuôi tôm, giảm phân bón, thuốc trừ sâu và tăng thu nhập.",
        body=(
            "Ở vùng đất nhiễm mặn ven biển Giao Thủy, mô hình luân canh lúa – tôm đang giúp nông dân tận dụng lợi thế tự nhiên.",
            "Mùa mưa cấy lúa, mùa khô nuôi tôm; chất thải của tôm trở thành phân bón cho lúa, còn rơm rạ tạo môi trường cho tôm.",
            Quote("Lúa không phải bón nhiều phân, tôm lớn tự nhiên, bán được giá hơn.", "Ông Phạm Văn Thành, nông dân Giao Thủy"),
            "Ngành nông nghiệp khuyến khích mở rộng mô hình gắn với liên kết tiêu thụ, xây dựng thương hiệu sản phẩm sạch.",
        ),
        tags=("nông nghiệp", "Giao Thủy", "nuôi tôm"),
        authors=("pham-hung",),
        age=8,
    ),
    Story(
        section=NN,
        format=STANDARD,
        kicker="Gạo đặc sản",
        title="Giữ thương hiệu gạo tám xoan Hải Hậu",
        sapo="Hạt gạo nhỏ, thon, thơm dịu đã làm nên tên tuổi Hải Hậu. Giữ giống thuần, giữ quy trình canh tác là cách người dân giữ thương hiệu.",
        body=(
            "Gạo tám xoan Hải Hậu từ lâu là đặc sản nổi tiếng, được nhiều gia đình chọn cho mâm cơm ngày Tết.",
            "Để giữ chất lượng, các hợp tác xã tổ chức sản xuất theo vùng, dùng giống thuần và quy trình canh tác thống nhất. "
            "Sản phẩm được đóng gói, dán tem truy xuất nguồn gốc.",
            "Người tiêu dùng được khuyến cáo chọn mua sản phẩm có chỉ dẫn địa lý và tem truy xuất để tránh hàng giả, hàng pha trộn.",
        ),
        tags=("gạo tám", "Hải Hậu", "chỉ dẫn địa lý"),
        authors=("vu-dinh-khoi",),
        age=54,
    ),
    Story(
        section=NN,
        format=PHOTO,
        kicker="Mùa vụ",
        title="Mùa gặt trên cánh đồng mẫu lớn",
        sapo="Máy gặt đập liên hợp rộn ràng trên những cánh đồng lúa chín vàng, vụ mùa năm nay được giá, được mùa.",
        body=(
            "Những cánh đồng mẫu lớn giúp cơ giới hóa toàn bộ khâu làm đất, gieo cấy và thu hoạch.",
            Gallery(
                "Vàng ruộng quê",
                (
                    ("Cánh đồng lúa chín vàng trải dài tới chân trời.", "fields"),
                    ("Máy gặt đập liên hợp làm việc từ sáng sớm.", "fields"),
                    ("Nông dân phơi thóc trên sân hợp tác xã.", "fields"),
                    ("Những bao thóc đầu tiên được chuyển về kho.", "fields"),
                    ("Hoàng hôn trên cánh đồng sau mùa gặt.", "fields"),
                ),
            ),
            "Vụ mùa năm nay, năng suất lúa bình quân cao hơn vụ trước nhờ thời tiết thuận lợi và giống mới.",
        ),
        tags=("mùa gặt", "lúa gạo", "phóng sự ảnh"),
        authors=("van-truong",),
        age=27,
    ),
    Story(
        section=NN,
        format=LONGFORM,
        kicker="Kinh tế hợp tác",
        title="Nông nghiệp xanh: hành trình của một hợp tác xã kiểu mới",
        sapo=(
            "Từ những thửa ruộng manh mún, một hợp tác xã ở huyện Ý Yên đã tích tụ đất đai, chuyển sang canh tác hữu cơ và "
            "bán gạo qua sàn thương mại điện tử."
        ),
        body=(
            "Mười năm trước, mỗi hộ trong thôn có bảy, tám thửa ruộng nhỏ nằm rải rác. Làm lúa vất vả mà thu nhập chẳng bao "
            "nhiêu, thanh niên lần lượt rời làng đi làm công nhân. Câu chuyện thay đổi khi hợp tác xã kiểu mới ra đời.",
            Picture("Những thửa ruộng được dồn điền, đổi thửa thành cánh đồng lớn.", theme="fields", layout="full"),
            Heading("Dồn điền, đổi thửa"),
            "Bước đầu tiên là vận động bà con dồn điền, đổi thửa. Những bờ ruộng nhỏ được san phẳng, tạo thành những cánh đồng "
            "lớn đủ cho máy cày, máy cấy và máy gặt làm việc.",
            Quote(
                "Ban đầu nhiều người lo mất ruộng. Chúng tôi phải họp thôn nhiều lần, đo đạc công khai, ai cũng thấy phần mình rõ ràng.",
                "Giám đốc hợp tác xã",
            ),
            Heading("Chuyển sang canh tác hữu cơ"),
            "Hợp tác xã chọn một phần diện tích để thử nghiệm canh tác hữu cơ: không thuốc diệt cỏ, giảm phân hóa học, dùng chế "
            "phẩm sinh học. Vụ đầu năng suất giảm, nhưng giá bán cao hơn đã bù lại.",
            Chart(
                "Diện tích canh tác hữu cơ của hợp tác xã (ha, minh họa)",
                """Năm,Diện tích
2019,5
2020,12
2021,20
2022,32
2023,45
2024,60""",
                kind="line",
            ),
            Picture("Gạo hữu cơ được đóng gói, dán tem truy xuất nguồn gốc.", theme="fields"),
            Heading("Bán gạo trên mạng"),
            "Những người trẻ trở về làm việc cho hợp tác xã đã mở gian hàng trên các sàn thương mại điện tử, quay video giới "
            "thiệu cánh đồng, quy trình sản xuất.",
            FactBox(
                "Bí quyết của hợp tác xã",
                (
                    "Sản xuất theo đơn hàng, liên kết với doanh nghiệp bao tiêu.",
                    "Minh bạch quy trình canh tác, truy xuất nguồn gốc bằng mã QR.",
                    "Thu hút người trẻ về làm quản lý, bán hàng trực tuyến.",
                    "Chia lợi nhuận công khai cho thành viên.",
                ),
            ),
            "Hành trình của hợp tác xã cho thấy nông nghiệp xanh không chỉ là khẩu hiệu, mà có thể trở thành sinh kế bền vững "
            "nếu có cách làm phù hợp và sự đồng lòng của người dân.",
            Related(("Mùa gặt trên cánh đồng mẫu lớn", "Giữ thương hiệu gạo tám xoan Hải Hậu")),
        ),
        tags=("nông nghiệp xanh", "hợp tác xã", "hữu cơ"),
        authors=("vu-dinh-khoi", "van-truong"),
        age=47,
    ),
    Story(
        section=NN,
        format=STANDARD,
        kicker="Sinh vật cảnh",
        title="Làng hoa cây cảnh Vị Khê tất bật chuẩn bị hàng Tết",
        sapo="Làng hoa cây cảnh nổi tiếng của huyện Nam Trực bước vào mùa cao điểm, nhiều nhà vườn bán hàng qua mạng xã hội.",
        body=(
            "Vị Khê là làng hoa cây cảnh có truyền thống lâu đời. Những tháng cuối năm, cả làng tất bật chăm sóc đào, quất, "
            "cây thế phục vụ thị trường Tết.",
            "Bên cạnh khách đến tận vườn, nhiều nhà vườn đã livestream giới thiệu cây, nhận đặt hàng và giao đi các tỉnh.",
            Quote("Có năm bán qua mạng còn nhiều hơn bán tại vườn.", "Một chủ vườn cây cảnh"),
        ),
        tags=("làng nghề", "Vị Khê", "Tết"),
        authors=("thanh-tam",),
        age=110,
    ),
    Story(
        section=NN,
        format=STANDARD,
        kicker="Thương mại điện tử",
        title="Nông dân bán nông sản qua sàn thương mại điện tử",
        sapo="Từ con cá, bó rau đến túi gạo, nông sản địa phương đang tìm đường lên sàn thương mại điện tử với sự hỗ trợ của tổ công nghệ số cộng đồng.",
        body=(
            "Ở nhiều xã, tổ công nghệ số cộng đồng đã hướng dẫn nông dân mở gian hàng, chụp ảnh sản phẩm và quản lý đơn hàng.",
            "Các sản phẩm OCOP của tỉnh được ưu tiên đưa lên sàn, kèm mã truy xuất nguồn gốc để người mua yên tâm.",
            "Khó khăn lớn nhất hiện nay là đóng gói, bảo quản và chi phí vận chuyển với các mặt hàng tươi sống.",
            Related(("Khởi nghiệp từ đặc sản quê hương",)),
        ),
        tags=("thương mại điện tử", "nông sản", "OCOP"),
        authors=("do-mai-anh",),
        age=200,
    ),
    Story(
        section=VHDL,
        format=STANDARD,
        kicker="Di tích",
        title="Khu di tích lịch sử văn hóa Đền Trần đón du khách",
        sapo="Quê hương của vương triều Trần là điểm đến hấp dẫn với các di tích, lễ hội và không gian văn hóa đặc sắc.",
        body=(
            "Khu di tích lịch sử văn hóa Đền Trần gắn với vương triều Trần, triều đại ba lần đánh thắng quân Nguyên Mông. Mỗi "
            "năm, nơi đây đón đông đảo du khách thập phương.",
            "Ban quản lý di tích đã triển khai thuyết minh tự động bằng mã QR, giúp du khách tìm hiểu lịch sử ngay trên điện thoại.",
            "Du khách được khuyến nghị ăn mặc lịch sự, giữ gìn vệ sinh và tuân thủ hướng dẫn của ban tổ chức trong mùa lễ hội.",
        ),
        tags=("Đền Trần", "di tích", "du lịch"),
        authors=("thanh-tam",),
        age=4,
    ),
    Story(
        section=VHDL,
        format=PHOTO,
        kicker="Lễ hội",
        title="Chợ Viềng, phiên chợ cầu may đầu năm",
        sapo="Mỗi năm chỉ họp một phiên vào đêm mùng 7 rạng sáng mùng 8 tháng Giêng, chợ Viềng thu hút hàng vạn người đến mua may, bán rủi.",
        body=(
            "Người đi chợ Viềng không cốt mua bán, mà để cầu may mắn cho cả năm.",
            Gallery(
                "Đêm chợ Viềng",
                (
                    ("Dòng người đổ về chợ từ chiều mùng 7.", "crowd"),
                    ("Những đèn lồng đỏ thắp sáng con đường vào chợ.", "heritage"),
                    ("Cây cảnh, nông cụ được bày bán khắp các lối đi.", "crowd"),
                    ("Người dân dâng hương ở phủ trước khi vào chợ.", "heritage"),
                    ("Chợ tan khi trời sáng, người về mang theo chút lộc đầu năm.", "heritage"),
                ),
            ),
            "Chợ Viềng là nét văn hóa độc đáo của vùng đất Nam Định, được nhiều thế hệ gìn giữ.",
        ),
        tags=("chợ Viềng", "lễ hội", "phóng sự ảnh"),
        authors=("van-truong", "thanh-tam"),
        age=64,
        art="heritage",
    ),
    Story(
        section=VHDL,
        format=STANDARD,
        kicker="Du lịch sinh thái",
        title="Vườn quốc gia Xuân Thủy vào mùa chim di cư",
        sapo="Khu Ramsar đầu tiên của Đông Nam Á là điểm dừng chân của hàng chục nghìn cá thể chim di cư mỗi mùa đông.",
        body=(
            "Nằm ở cửa sông Hồng, Vườn quốc gia Xuân Thủy có hệ sinh thái rừng ngập mặn, bãi bồi và đầm nuôi thủy sản đặc trưng.",
            "Mỗi mùa đông, nơi đây trở thành điểm dừng chân của nhiều loài chim di cư, trong đó có những loài quý hiếm.",
            Quote("Ngồi trên thuyền nhìn đàn chim cất cánh lúc bình minh là cảm giác khó quên.", "Một du khách đến từ Hà Nội"),
            "Du lịch sinh thái cộng đồng đang giúp người dân vùng đệm có thêm thu nhập, đồng thời nâng cao ý thức bảo vệ rừng.",
        ),
        tags=("Xuân Thủy", "du lịch sinh thái", "Giao Thủy"),
        authors=("pham-hung",),
        age=90,
        art="coast",
    ),
    Story(
        section=VHDL,
        format=STANDARD,
        kicker="Di sản",
        title="Hát chầu văn ở Phủ Dầy, di sản sống của người Nam Định",
        sapo="Những giá hầu, những làn điệu chầu văn vẫn được người nghệ nhân trao truyền cho thế hệ trẻ.",
        body=(
            "Quần thể di tích Phủ Dầy ở huyện Vụ Bản gắn với tín ngưỡng thờ Mẫu, một di sản văn hóa phi vật thể đại diện của nhân loại.",
            "Hát chầu văn là phần không thể thiếu trong nghi lễ. Tiếng đàn nguyệt, tiếng phách cùng lời văn tạo nên không gian "
            "nghệ thuật đặc sắc.",
            "Các câu lạc bộ chầu văn được thành lập ở nhiều địa phương, mở lớp truyền dạy cho thanh thiếu niên.",
        ),
        tags=("chầu văn", "Phủ Dầy", "di sản"),
        authors=("thanh-tam",),
        age=140,
    ),
    Story(
        section=VHDL,
        format=PODCAST,
        kicker="Podcast Chuyện làng quê",
        title="Nhà thờ đổ Hải Lý và câu chuyện của biển",
        sapo="Tàn tích còn lại của một ngôi nhà thờ bên bờ biển Hải Hậu kể lại câu chuyện về sức mạnh của biển và sự kiên cường của con người.",
        body=(
            Audio("Podcast Chuyện làng quê – số 6: Nhà thờ đổ Hải Lý."),
            "Nhà thờ đổ Hải Lý nằm ngay sát bờ biển, chỉ còn lại phần tháp chuông và một số bức tường. Nơi đây đã trở thành điểm "
            "đến quen thuộc của người yêu nhiếp ảnh.",
            "Trong số này, chúng tôi nghe người dân địa phương kể về những lần biển lấn vào đất liền và công cuộc xây đê giữ làng.",
            Related(("Đê biển Hải Hậu trước mùa mưa bão",)),
        ),
        tags=("Hải Lý", "podcast", "du lịch"),
        authors=("ngoc-lan",),
        age=190,
        art="studio",
    ),
    Story(
        section="doi-song",
        format=STANDARD,
        kicker="Ẩm thực",
        title="Phở Nam Định, từ làng Giao Cù đến khắp mọi miền",
        sapo="Nhiều người làm phở nổi tiếng khắp cả nước có gốc gác từ những làng quê ở Nam Trực, nơi được coi là một cái nôi của phở.",
        body=(
            "Phở bò Nam Định có nước dùng trong, ngọt từ xương, vị nước mắm đặc trưng và bánh phở mềm. Nhiều hàng phở khắp cả "
            "nước treo biển \"Phở gia truyền Nam Định\".",
            "Những người làm phở ở làng Giao Cù kể rằng nghề phở được cha truyền con nối qua nhiều thế hệ, theo chân người làng "
            "ra Hà Nội rồi vào Nam.",
            "Lễ hội văn hóa ẩm thực phở được tổ chức là dịp để tôn vinh món ăn truyền thống và quảng bá du lịch địa phương.",
        ),
        tags=("phở", "ẩm thực", "Nam Trực"),
        authors=("thanh-tam",),
        age=17,
        art="crowd",
    ),
    Story(
        section="doi-song",
        format=STANDARD,
        kicker="Nước sạch",
        title="Nước sạch về các xã ven biển",
        sapo="Các công trình cấp nước tập trung giúp hàng nghìn hộ dân vùng ven biển thoát cảnh dùng nước nhiễm mặn.",
        body=(
            "Trước đây, nhiều hộ dân ở vùng ven biển phải dùng nước giếng khoan nhiễm mặn hoặc mua nước bình với giá cao.",
            "Từ khi có công trình cấp nước tập trung, người dân được dùng nước sạch đạt chuẩn, yên tâm hơn về sức khỏe.",
            Quote("Mở vòi là có nước sạch, con cháu đỡ ốm vặt hẳn.", "Bà Đỗ Thị Nhung, người dân xã ven biển"),
        ),
        tags=("nước sạch", "nông thôn mới"),
        authors=("pham-hung",),
        age=130,
        art="river",
    ),
    Story(
        section="doi-song",
        format=STANDARD,
        kicker="Thanh toán số",
        title="Quét mã QR ở chợ quê",
        sapo="Từ hàng rau, hàng cá đến quán bánh cuốn, thanh toán bằng mã QR đang trở nên quen thuộc ở các chợ nông thôn.",
        body=(
            "Bà Vũ Thị Hằng bán rau ở chợ xã đã hơn ba mươi năm. Giờ đây, trên quầy hàng của bà có thêm tấm mã QR để khách chuyển khoản.",
            "Tổ công nghệ số cộng đồng và các ngân hàng đã hướng dẫn tiểu thương mở tài khoản, cài đặt ứng dụng và cảnh giác "
            "với các thủ đoạn lừa đảo.",
            "Thanh toán không dùng tiền mặt giúp người bán không phải lo trả lại tiền lẻ, còn người mua tiện lợi hơn.",
            Related(("Nông dân bán nông sản qua sàn thương mại điện tử",)),
        ),
        tags=("thanh toán số", "chuyển đổi số", "chợ quê"),
        authors=("do-mai-anh",),
        age=76,
        art="crowd",
    ),
    Story(
        section="doi-song",
        format=STANDARD,
        kicker="Xã hội số",
        title="Người cao tuổi học dùng điện thoại thông minh",
        sapo="Những lớp học đặc biệt ở nhà văn hóa thôn giúp người cao tuổi gọi video cho con cháu, đọc báo điện tử và làm thủ tục trực tuyến.",
        body=(
            "Mỗi tối thứ Năm, nhà văn hóa thôn lại sáng đèn. Các cụ mang theo điện thoại, chăm chú nghe đoàn viên thanh niên hướng dẫn.",
            "Bài học đầu tiên là gọi video cho con cháu ở xa; tiếp đến là đọc báo điện tử, xem thời sự tỉnh và cài đặt ứng dụng "
            "định danh điện tử.",
            Quote("Giờ tôi tự đọc được báo tỉnh trên điện thoại, chữ to, rõ.", "Cụ Nguyễn Văn Lộc, 78 tuổi"),
        ),
        tags=("người cao tuổi", "xã hội số", "chuyển đổi số"),
        authors=("do-mai-anh",),
        age=160,
        art="crowd",
    ),
    Story(
        section="doi-song",
        format=STANDARD,
        kicker="Thiếu nhi",
        title="Sân chơi mùa hè cho thiếu nhi ở các thôn xóm",
        sapo="Bể bơi di động, lớp học kỹ năng và thư viện lưu động mang lại mùa hè vui tươi, an toàn cho trẻ em nông thôn.",
        body=(
            "Mùa hè là thời điểm trẻ em nông thôn có nhiều thời gian rảnh, cũng là lúc nguy cơ đuối nước tăng cao.",
            "Nhiều xã đã tổ chức lớp dạy bơi miễn phí bằng bể bơi di động, kết hợp các lớp kỹ năng sống và thư viện lưu động.",
            "Các hoạt động được đoàn thanh niên, hội phụ nữ và nhà trường phối hợp tổ chức, nhận được sự ủng hộ của phụ huynh.",
        ),
        tags=("thiếu nhi", "mùa hè"),
        authors=("thanh-tam",),
        age=230,
        art="river",
    ),
]
