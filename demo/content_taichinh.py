"""Demo stories of "Thời báo Tài chính", a finance-ministry newspaper.

The digital-transformation stories follow the Ministry of Finance's plan
(Quyết định 2866/QĐ-BTC) implementing the national press strategy
(Quyết định 348/QĐ-TTg). Other stories are plausible news written for the
demo: people quoted are invented, figures in charts are illustrative.
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

STORIES = [
    Story(
        section=CDS,
        format=STANDARD,
        kicker="Chiến lược 348/QĐ-TTg",
        title="Bộ Tài chính ban hành Kế hoạch triển khai Chiến lược chuyển đổi số báo chí",
        sapo=(
            "Kế hoạch hành động kèm theo Quyết định 2866/QĐ-BTC đặt mục tiêu đến năm 2030, 100% đơn vị báo chí "
            "thuộc Bộ Tài chính đưa nội dung lên các nền tảng số và vận hành theo mô hình tòa soạn hội tụ."
        ),
        body=(
            "Bộ Tài chính vừa ban hành Kế hoạch hành động kèm theo Quyết định số 2866/QĐ-BTC về triển khai Chiến lược "
            "chuyển đổi số báo chí đến năm 2025, định hướng đến năm 2030. Kế hoạch cụ thể hóa Chiến lược được Thủ tướng "
            "Chính phủ phê duyệt tại Quyết định số 348/QĐ-TTg ngày 06/4/2023.",
            "Theo Kế hoạch, mục đích là thực hiện có hiệu quả, chất lượng các mục tiêu, nhiệm vụ của Chiến lược; đồng thời "
            "tăng cường trách nhiệm, nâng cao chất lượng, hiệu quả trong việc triển khai các nhiệm vụ chuyển đổi số báo chí "
            "của các cơ quan, đơn vị trong ngành.",
            Heading("Hai mốc 2025 và 2030"),
            "Đến năm 2025, 70% đơn vị báo chí thuộc Bộ đưa nội dung lên các nền tảng số, ưu tiên nền tảng trong nước; 50% "
            "đơn vị sử dụng nền tảng phân tích, xử lý dữ liệu tổng hợp tập trung, ứng dụng trí tuệ nhân tạo để tối ưu hóa "
            "hoạt động; 80% đơn vị vận hành mô hình tòa soạn hội tụ.",
            "Đến năm 2030, các tỷ lệ này lần lượt là 100%, 90% và 100%. Về nguồn thu, Kế hoạch đặt mục tiêu 30% đơn vị báo "
            "chí tăng doanh thu tối thiểu 20% vào năm 2025 và 50% đơn vị đạt mức tăng này vào năm 2030.",
            FactBox(
                "Những con số chính",
                (
                    "100% lãnh đạo, phóng viên, biên tập viên được đào tạo, bồi dưỡng kỹ năng chuyển đổi số báo chí.",
                    "100% đơn vị báo chí điện tử có giải pháp an toàn, an ninh hệ thống thông tin cấp độ 3 trở lên.",
                    "100% đơn vị báo chí đưa nội dung lên nền tảng số vào năm 2030.",
                ),
            ),
            "Để đạt mục tiêu, Kế hoạch yêu cầu các đơn vị xây dựng kế hoạch chuyển đổi số riêng, ban hành chế độ chính sách "
            "nhất quán cho người lao động dù làm việc trực tiếp tại đơn vị hay làm việc từ xa, đồng thời tăng cường tuyên "
            "truyền, biểu dương các tổ chức, cá nhân có sáng kiến trong quá trình chuyển đổi số.",
        ),
        tags=("chuyển đổi số", "báo chí", "Bộ Tài chính"),
        authors=("nguyen-thu-ha",),
        age=30,
    ),
    Story(
        section=CDS,
        format=LONGFORM,
        kicker="Chuyển đổi số báo chí",
        title="Tòa soạn hội tụ: cuộc chuyển mình của báo chí ngành Tài chính",
        sapo=(
            "Từ những bàn biên tập tách rời cho báo in, báo điện tử và video, các cơ quan báo chí ngành Tài chính đang "
            "gom về một dòng chảy nội dung chung. Hành trình ấy không chỉ là chuyện phần mềm."
        ),
        body=(
            "Bảy giờ sáng, màn hình lớn ở phòng họp giao ban đã hiện danh sách đề tài trong ngày. Mỗi đề tài đi kèm một "
            "cột ghi rõ sản phẩm sẽ ra đời: một tin nhanh cho trang điện tử, một video ngắn cho mạng xã hội, một bản tin "
            "âm thanh cho buổi chiều và một bài phân tích dài cho số báo cuối tuần. Đó là hình ảnh của tòa soạn hội tụ mà "
            "các đơn vị báo chí ngành Tài chính đang hướng tới.",
            Picture("Trong tòa soạn hội tụ, mọi sản phẩm bắt đầu từ một kế hoạch đề tài chung.", theme="network", layout="full"),
            Heading("Một dòng chảy thay cho nhiều ốc đảo"),
            "Trước đây, mỗi ấn phẩm có quy trình riêng, kho ảnh riêng và lịch xuất bản riêng. Một phóng viên đi hội nghị có "
            "thể phải viết ba lần cho ba bộ phận khác nhau. Mô hình hội tụ đảo ngược cách làm đó: thông tin được thu thập một "
            "lần, lưu vào kho dùng chung rồi được biên tập thành nhiều sản phẩm cho từng nền tảng.",
            "Kế hoạch triển khai Chiến lược chuyển đổi số báo chí của Bộ Tài chính đặt mục tiêu 80% đơn vị báo chí vận hành "
            "mô hình tòa soạn hội tụ vào năm 2025 và 100% vào năm 2030. Đi cùng là yêu cầu xây dựng kho lưu trữ chung để kết "
            "nối, chia sẻ và khai thác dữ liệu số của đơn vị, từ video, hình ảnh đến âm thanh.",
            Quote(
                "Khó nhất không phải là mua phần mềm, mà là thay đổi thói quen: ai cũng phải nghĩ cho nhiều nền tảng ngay từ "
                "lúc nhận đề tài.",
                "Lê Minh Châu, Thư ký tòa soạn",
            ),
            Heading("Dữ liệu nói gì về độc giả"),
            "Một thay đổi lớn khác là cách tòa soạn hiểu độc giả. Các nền tảng phân tích dữ liệu cho biết bài nào được đọc "
            "hết, độc giả đến từ đâu, đọc trên thiết bị nào và vào giờ nào. Từ đó, ban biên tập điều chỉnh giờ xuất bản, độ "
            "dài bài và cách trình bày.",
            Chart(
                "Mục tiêu của đơn vị báo chí thuộc Bộ Tài chính (%)",
                """Chỉ tiêu,Năm 2025,Năm 2030
Nền tảng số,70,100
Dữ liệu và AI,50,90
Mô hình hội tụ,80,100""",
                source="Kế hoạch kèm theo Quyết định 2866/QĐ-BTC",
            ),
            "Theo Kế hoạch, 50% đơn vị báo chí thuộc Bộ sử dụng nền tảng phân tích, xử lý dữ liệu tổng hợp tập trung, ứng "
            "dụng trí tuệ nhân tạo vào năm 2025, nâng lên 90% vào năm 2030. Dữ liệu cũng là cơ sở để xây dựng các gói sản "
            "phẩm, dịch vụ phù hợp với từng nhóm độc giả, mở ra nguồn thu mới.",
            Picture("Phân tích dữ liệu độc giả giúp tòa soạn chọn thời điểm và hình thức xuất bản.", theme="chart"),
            Heading("Con người là trung tâm"),
            "Kế hoạch yêu cầu 100% lãnh đạo, phóng viên, biên tập viên được đào tạo, bồi dưỡng kiến thức, kỹ năng về chuyển "
            "đổi số báo chí. Các lớp tập huấn không chỉ dạy dựng video trên điện thoại hay viết cho thiết bị di động, mà còn "
            "trang bị kỹ năng xử lý dữ liệu, kiểm chứng thông tin và bảo đảm an toàn thông tin.",
            FactBox(
                "Tòa soạn hội tụ là gì?",
                (
                    "Một quy trình chung cho mọi ấn phẩm: báo in, điện tử, phát thanh, truyền hình, mạng xã hội.",
                    "Một kho tư liệu dùng chung cho văn bản, ảnh, video, âm thanh.",
                    "Một bàn điều phối quyết định sản phẩm nào lên nền tảng nào, vào lúc nào.",
                    "Đo lường bằng dữ liệu để điều chỉnh nội dung theo nhu cầu độc giả.",
                ),
            ),
            Quote(
                "Công nghệ thay đổi rất nhanh, nhưng giá trị cốt lõi của nghề báo vẫn vậy: chính xác, kịp thời và có trách "
                "nhiệm với người đọc.",
                "Phạm Văn Đức, Tổng biên tập",
            ),
            "Hành trình chuyển đổi số của báo chí ngành Tài chính vẫn còn dài. Nhưng mỗi buổi giao ban với bảng đề tài đa "
            "nền tảng, mỗi video ngắn ra đời ngay tại hiện trường, là một bước để tờ báo đến gần hơn với độc giả của mình.",
            Related(("Bộ Tài chính ban hành Kế hoạch triển khai Chiến lược chuyển đổi số báo chí",)),
        ),
        tags=("chuyển đổi số", "tòa soạn hội tụ", "báo chí"),
        authors=("nguyen-thu-ha", "minh-khoa"),
        age=3,
    ),
    Story(
        section=CDS,
        format=INFOGRAPHIC,
        kicker="Quyết định 2866/QĐ-BTC",
        title="Mục tiêu chuyển đổi số báo chí ngành Tài chính đến năm 2030 qua các con số",
        sapo="Các chỉ tiêu chính của Kế hoạch triển khai Chiến lược chuyển đổi số báo chí thuộc Bộ Tài chính, so sánh hai mốc 2025 và 2030.",
        body=(
            "Kế hoạch kèm theo Quyết định 2866/QĐ-BTC đặt ra các chỉ tiêu định lượng cho đơn vị báo chí thuộc Bộ Tài chính "
            "ở hai mốc thời gian. Biểu đồ dưới đây cho thấy mức tăng giữa năm 2025 và năm 2030.",
            Chart(
                "Tỷ lệ đơn vị báo chí đạt chỉ tiêu (%)",
                """Chỉ tiêu,2025,2030
Nền tảng số,70,100
Dữ liệu và AI,50,90
Mô hình hội tụ,80,100
Tăng thu ≥ 20%,30,50""",
                source="Kế hoạch kèm theo Quyết định 2866/QĐ-BTC",
            ),
            Table(
                "Các chỉ tiêu của Kế hoạch",
                (
                    ("Chỉ tiêu", "Đến năm 2025", "Đến năm 2030"),
                    ("Đưa nội dung lên các nền tảng số", "70%", "100%"),
                    ("Dữ liệu và AI, ứng dụng AI", "50%", "90%"),
                    ("Vận hành mô hình tòa soạn hội tụ", "80%", "100%"),
                    ("Đơn vị tăng doanh thu tối thiểu 20%", "30%", "50%"),
                    ("Nhân sự được đào tạo kỹ năng số", "100%", "–"),
                    ("Báo điện tử an toàn thông tin cấp độ 3 trở lên", "100%", "–"),
                ),
            ),
            "Ngoài các chỉ tiêu định lượng, Kế hoạch nhấn mạnh việc ưu tiên các nền tảng số trong nước và phát triển sản "
            "phẩm báo chí số chất lượng cao, đổi mới trải nghiệm của độc giả.",
        ),
        tags=("chuyển đổi số", "infographic", "Bộ Tài chính"),
        authors=("nhom-du-lieu-taichinh",),
        age=20,
    ),
    Story(
        section=CDS,
        format=STANDARD,
        kicker="Đào tạo",
        title="Mọi phóng viên, biên tập viên ngành Tài chính sẽ được đào tạo kỹ năng số",
        sapo=(
            "Kế hoạch chuyển đổi số báo chí của Bộ Tài chính yêu cầu 100% lãnh đạo, phóng viên, biên tập viên được "
            "bồi dưỡng kiến thức, kỹ năng số; các lớp học đầu tiên tập trung vào video di động và dữ liệu."
        ),
        body=(
            "Nâng cao nhận thức và kỹ năng của đội ngũ làm báo được xác định là nhiệm vụ đi trước trong Kế hoạch triển khai "
            "Chiến lược chuyển đổi số báo chí của Bộ Tài chính. Mục tiêu đặt ra là 100% lãnh đạo, cán bộ, phóng viên, biên "
            "tập viên các đơn vị báo chí thuộc Bộ được đào tạo, bồi dưỡng về chuyển đổi số báo chí.",
            "Theo kế hoạch của nhiều đơn vị, chương trình được chia thành các học phần ngắn: sản xuất video bằng điện thoại, "
            "viết cho thiết bị di động, khai thác dữ liệu mở, kiểm chứng thông tin và an toàn thông tin khi tác nghiệp.",
            Quote(
                "Trước đây tôi chỉ quen viết bài dài cho báo in. Sau khóa học, tôi tự dựng được một video ngắn ngay tại hiện "
                "trường và gửi về tòa soạn trong vòng nửa giờ.",
                "Một phóng viên trẻ tham gia khóa tập huấn",
            ),
            "Kế hoạch cũng khuyến khích tăng cường hợp tác, học tập kinh nghiệm của các bộ, ngành và cơ quan báo chí trong "
            "nước, quốc tế; đồng thời biểu dương, tôn vinh những cá nhân có sáng kiến để lan tỏa, nhân rộng.",
            "Bên cạnh đào tạo, các đơn vị được yêu cầu ứng dụng phần mềm trực tuyến giúp phóng viên, biên tập viên xử lý "
            "thông tin mọi lúc, mọi nơi, phù hợp với xu hướng làm việc từ xa.",
        ),
        tags=("chuyển đổi số", "đào tạo", "báo chí"),
        authors=("nguyen-thu-ha",),
        age=52,
    ),
    Story(
        section=CDS,
        format=STANDARD,
        kicker="An toàn thông tin",
        title="An toàn thông tin cấp độ 3: yêu cầu bắt buộc với báo điện tử",
        sapo=(
            "Toàn bộ đơn vị báo chí điện tử thuộc Bộ Tài chính phải có giải pháp bảo đảm an toàn, an ninh hệ thống thông "
            "tin từ cấp độ 3 trở lên. Đây là nền móng để chuyển đổi số bền vững."
        ),
        body=(
            "Khi tòa soạn chuyển sang môi trường số, mỗi tài khoản biên tập, mỗi máy chủ xuất bản đều có thể trở thành mục "
            "tiêu tấn công. Một sự cố chiếm quyền trang tin có thể gây thiệt hại lớn về uy tín chỉ trong vài phút.",
            "Vì vậy, Kế hoạch triển khai Chiến lược chuyển đổi số báo chí của Bộ Tài chính đặt mục tiêu 100% đơn vị báo chí "
            "điện tử có giải pháp bảo đảm an toàn, an ninh hệ thống thông tin cấp độ 3 trở lên.",
            FactBox(
                "Những việc tòa soạn cần làm ngay",
                (
                    "Bật xác thực hai lớp cho mọi tài khoản biên tập và quản trị.",
                    "Phân quyền theo vai trò: phóng viên, biên tập viên, thư ký tòa soạn, tổng biên tập.",
                    "Sao lưu dữ liệu định kỳ và diễn tập khôi phục.",
                    "Theo dõi nhật ký truy cập, cảnh báo đăng nhập bất thường.",
                ),
            ),
            "Các chuyên gia cho rằng bảo mật không chỉ là chuyện của bộ phận kỹ thuật. Phóng viên cần biết nhận diện thư "
            "lừa đảo, không dùng chung mật khẩu và cẩn trọng khi kết nối mạng công cộng lúc tác nghiệp.",
            Quote("An toàn thông tin phải được thiết kế ngay từ đầu, không phải vá víu sau sự cố.", "Một chuyên gia an ninh mạng"),
        ),
        tags=("an toàn thông tin", "chuyển đổi số", "báo chí"),
        authors=("nguyen-thu-ha",),
        age=75,
    ),
    Story(
        section=CDS,
        format=PODCAST,
        kicker="Podcast Tòa soạn số",
        title="Trí tuệ nhân tạo vào tòa soạn: trợ thủ đắc lực nhưng không thay được nhà báo",
        sapo=(
            "Trong số podcast này, chúng tôi trò chuyện về những việc AI đang làm tốt trong tòa soạn, từ gỡ băng phỏng vấn "
            "đến gợi ý tiêu đề, và những ranh giới mà người làm báo cần giữ."
        ),
        body=(
            Audio("Podcast Tòa soạn số – số 12: Trí tuệ nhân tạo vào tòa soạn."),
            "Kế hoạch chuyển đổi số báo chí của Bộ Tài chính đặt mục tiêu 90% đơn vị báo chí sử dụng nền tảng phân tích "
            "dữ liệu, ứng dụng trí tuệ nhân tạo để tối ưu hóa hoạt động vào năm 2030. Nhưng AI nên làm gì, và không nên làm gì?",
            Heading("Trong số này"),
            FactBox(
                "Nội dung chính",
                (
                    "Gỡ băng phỏng vấn tiếng Việt: nhanh hơn, nhưng vẫn cần người nghe lại.",
                    "Gợi ý tiêu đề và tóm tắt: hữu ích cho phát hành đa nền tảng.",
                    "Kiểm chứng thông tin: AI có thể sai một cách rất tự tin.",
                    "Trách nhiệm cuối cùng luôn thuộc về tòa soạn.",
                ),
            ),
            Quote("AI giúp chúng tôi làm nhanh hơn những việc lặp lại, để dành thời gian cho việc đi thực tế và đặt câu hỏi.", "Khách mời của chương trình"),
            "Podcast Tòa soạn số phát hành vào sáng thứ Sáu hằng tuần trên trang điện tử và các nền tảng nghe phổ biến.",
        ),
        tags=("trí tuệ nhân tạo", "podcast", "chuyển đổi số"),
        authors=("pham-thanh-huyen",),
        age=9,
        art="studio",
    ),
    Story(
        section=CDS,
        format=VIDEO,
        kicker="Tòa soạn số",
        title="Một ngày trong tòa soạn hội tụ",
        sapo="Từ cuộc họp giao ban buổi sáng đến lúc bản tin cuối ngày lên sóng: video ngắn theo chân dòng chảy tin bài trong tòa soạn hội tụ.",
        body=(
            Video("Dòng chảy tin bài trong tòa soạn hội tụ, từ kế hoạch đề tài đến phát hành đa nền tảng."),
            "Trong mô hình tòa soạn hội tụ, một đề tài được lên kế hoạch một lần và triển khai thành nhiều sản phẩm: tin "
            "nhanh, video ngắn, bài phân tích và bản tin âm thanh.",
            "Bàn điều phối quyết định thời điểm xuất bản trên từng nền tảng dựa trên dữ liệu về thói quen của độc giả.",
            Related(("Tòa soạn hội tụ: cuộc chuyển mình của báo chí ngành Tài chính",)),
        ),
        tags=("tòa soạn hội tụ", "video", "chuyển đổi số"),
        authors=("minh-khoa",),
        age=14,
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Nhiệm vụ cuối năm",
        title="Toàn ngành Tài chính tăng tốc hoàn thành nhiệm vụ những tháng cuối năm",
        sapo=(
            "Tập trung quản lý thu, chống thất thu, đẩy nhanh giải ngân vốn đầu tư công và thực hành tiết kiệm là những "
            "nhóm giải pháp được đặt ra cho các tháng cuối năm."
        ),
        body=(
            "Tại hội nghị trực tuyến với các đơn vị trong ngành, lãnh đạo các cục, vụ đã rà soát tiến độ thực hiện nhiệm vụ "
            "tài chính – ngân sách và thống nhất các giải pháp cho những tháng còn lại của năm.",
            "Các đơn vị thuế, hải quan được yêu cầu bám sát diễn biến sản xuất kinh doanh, mở rộng cơ sở thu, tăng cường "
            "quản lý thu đối với thương mại điện tử và kinh doanh trên nền tảng số.",
            "Cùng với đó, hệ thống kho bạc tiếp tục rút ngắn thời gian kiểm soát chi, bảo đảm thanh toán kịp thời cho các dự "
            "án đầu tư công ngay khi có khối lượng nghiệm thu.",
            Quote(
                "Mỗi đơn vị phải có kế hoạch cụ thể theo từng tuần, gắn trách nhiệm người đứng đầu với kết quả thực hiện.",
                "Kết luận của hội nghị",
            ),
            "Hội nghị cũng nhấn mạnh yêu cầu thực hành tiết kiệm, chống lãng phí trong chi thường xuyên, ưu tiên nguồn lực "
            "cho an sinh xã hội và các công trình trọng điểm.",
        ),
        tags=("ngân sách", "Bộ Tài chính", "đầu tư công"),
        authors=("tran-quoc-bao",),
        age=6,
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Đầu tư công",
        title="Đẩy nhanh giải ngân vốn đầu tư công, coi đây là nhiệm vụ chính trị trọng tâm",
        sapo="Các bộ, ngành, địa phương được yêu cầu tháo gỡ vướng mắc về mặt bằng, vật liệu và thủ tục để giải ngân vốn đầu tư công đúng tiến độ.",
        body=(
            "Giải ngân vốn đầu tư công tiếp tục được xác định là một trong những động lực quan trọng để hỗ trợ tăng trưởng. "
            "Tuy nhiên, tiến độ giữa các bộ, ngành và địa phương còn chênh lệch.",
            "Những vướng mắc thường gặp vẫn là giải phóng mặt bằng, nguồn vật liệu xây dựng và năng lực của một số chủ đầu tư. "
            "Nhiều nơi đã thành lập tổ công tác đặc biệt, giao ban hằng tuần để xử lý dứt điểm từng điểm nghẽn.",
            "Cơ quan tài chính các cấp được yêu cầu phối hợp chặt chẽ với chủ đầu tư, rà soát và điều chuyển vốn từ những dự "
            "án chậm giải ngân sang các dự án có khả năng hấp thụ tốt hơn.",
            "Hệ thống Kho bạc Nhà nước cam kết kiểm soát chi theo hướng đơn giản hóa hồ sơ, thực hiện trên môi trường điện tử "
            "và thanh toán ngay trong ngày khi hồ sơ hợp lệ.",
        ),
        tags=("đầu tư công", "ngân sách"),
        authors=("tran-quoc-bao",),
        age=40,
        art="skyline",
    ),
    Story(
        section="thoi-su",
        format=PHOTO,
        kicker="Đào tạo",
        title="Những khoảnh khắc tại lớp tập huấn báo chí số ngành Tài chính",
        sapo="Hơn một trăm phóng viên, biên tập viên của các đơn vị báo chí thuộc Bộ Tài chính cùng thực hành quay, dựng video và làm đồ họa dữ liệu.",
        body=(
            "Lớp tập huấn kéo dài ba ngày, kết hợp lý thuyết với thực hành ngay trên điện thoại và máy tính của học viên.",
            Gallery(
                "Ba ngày học làm báo số",
                (
                    ("Học viên thực hành quay video ngắn bằng điện thoại.", "crowd"),
                    ("Một buổi thảo luận nhóm về kịch bản video cho mạng xã hội.", "crowd"),
                    ("Giảng viên hướng dẫn dựng biểu đồ từ dữ liệu ngân sách công khai.", "chart"),
                    ("Sơ đồ dòng chảy tin bài của tòa soạn hội tụ được dựng trên bảng tương tác.", "network"),
                    ("Những sản phẩm đầu tiên được trình chiếu cuối khóa học.", "skyline"),
                ),
            ),
            "Sau khóa học, mỗi nhóm học viên hoàn thành một sản phẩm báo chí đa phương tiện hoàn chỉnh về một chủ đề tài "
            "chính gần gũi với đời sống.",
            Related(("Mọi phóng viên, biên tập viên ngành Tài chính sẽ được đào tạo kỹ năng số",)),
        ),
        tags=("đào tạo", "báo chí", "chuyển đổi số"),
        authors=("minh-khoa",),
        age=28,
        art="crowd",
    ),
    Story(
        section="thoi-su",
        format=STANDARD,
        kicker="Cải cách hành chính",
        title="Lấy ý kiến rộng rãi dự thảo văn bản qua Cổng Dịch vụ công",
        sapo=(
            "Người dân và doanh nghiệp có thể đọc toàn văn dự thảo, gửi góp ý trực tuyến và theo dõi việc tiếp thu, giải "
            "trình của cơ quan soạn thảo."
        ),
        body=(
            "Việc đăng tải dự thảo văn bản quy phạm pháp luật để lấy ý kiến trên cổng thông tin điện tử là yêu cầu bắt buộc. "
            "Điểm mới là quy trình góp ý ngày càng thuận tiện hơn: người góp ý chỉ cần đăng nhập bằng tài khoản định danh điện tử.",
            "Các góp ý được tổng hợp tự động theo từng điều khoản, giúp cơ quan soạn thảo dễ dàng theo dõi và giải trình. "
            "Bản tổng hợp tiếp thu cũng được công khai để người góp ý biết ý kiến của mình được xử lý ra sao.",
            "Đại diện một hiệp hội doanh nghiệp cho rằng cách làm này giúp doanh nghiệp chủ động hơn, góp ý sớm từ khi "
            "chính sách còn ở dạng dự thảo thay vì chỉ phản ánh khi văn bản đã có hiệu lực.",
            "Thời gian tới, cơ quan soạn thảo sẽ bổ sung tính năng thông báo khi có dự thảo mới theo lĩnh vực mà người dùng quan tâm.",
        ),
        tags=("cải cách hành chính", "dịch vụ công trực tuyến"),
        authors=("hoang-anh-tuan",),
        age=100,
    ),
    Story(
        section="thoi-su",
        format=VIDEO,
        kicker="Hội nghị ngành",
        title="Toàn cảnh hội nghị triển khai nhiệm vụ tài chính – ngân sách",
        sapo="Những điểm chính của hội nghị trực tuyến triển khai nhiệm vụ tài chính – ngân sách, tóm lược trong một video ngắn.",
        body=(
            Video("Hội nghị triển khai nhiệm vụ tài chính – ngân sách được kết nối trực tuyến tới các đơn vị trong ngành."),
            "Hội nghị được tổ chức theo hình thức trực tuyến, kết nối tới các đơn vị thuế, hải quan, kho bạc và sở tài chính "
            "trên cả nước.",
            "Các đại biểu tập trung thảo luận về giải pháp quản lý thu, điều hành chi ngân sách và đẩy mạnh chuyển đổi số "
            "trong toàn ngành.",
        ),
        tags=("ngân sách", "Bộ Tài chính", "video"),
        authors=("minh-khoa", "tran-quoc-bao"),
        age=122,
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Doanh nghiệp",
        title="Doanh nghiệp nhỏ và vừa chờ đợi những chính sách hỗ trợ thiết thực",
        sapo="Tiếp cận vốn, chi phí tuân thủ và thủ tục hành chính vẫn là ba nỗi lo lớn nhất của doanh nghiệp nhỏ và vừa.",
        body=(
            "Chiếm phần lớn số doanh nghiệp đang hoạt động, khu vực doanh nghiệp nhỏ và vừa tạo việc làm cho hàng triệu lao "
            "động. Tuy nhiên, sức chống chịu của khu vực này trước biến động thị trường còn hạn chế.",
            "Qua khảo sát của tòa soạn với một số doanh nghiệp tại Hà Nội và TP Hồ Chí Minh, khó khăn được nhắc tới nhiều "
            "nhất là tiếp cận vốn vay do thiếu tài sản bảo đảm, tiếp đến là chi phí tuân thủ các thủ tục về thuế, bảo hiểm, "
            "phòng cháy chữa cháy.",
            Quote(
                "Chúng tôi không cần ưu đãi quá lớn, chỉ mong thủ tục rõ ràng, thời gian xử lý có hạn định và được làm trực tuyến.",
                "Chủ một xưởng cơ khí tại Bắc Ninh",
            ),
            "Các chuyên gia cho rằng chính sách hỗ trợ nên tập trung vào tín dụng theo dòng tiền, quỹ bảo lãnh tín dụng hoạt "
            "động hiệu quả hơn và số hóa toàn bộ các thủ tục hành chính liên quan đến doanh nghiệp.",
        ),
        tags=("doanh nghiệp", "tín dụng", "chính sách"),
        authors=("tran-quoc-bao",),
        age=11,
    ),
    Story(
        section="kinh-te",
        format=INFOGRAPHIC,
        kicker="Đầu tư",
        title="Cơ cấu vốn đầu tư toàn xã hội: khu vực tư nhân giữ vai trò dẫn dắt",
        sapo="Vốn đầu tư ngoài nhà nước chiếm tỷ trọng lớn nhất trong tổng vốn đầu tư toàn xã hội; biểu đồ minh họa xu hướng qua các năm.",
        body=(
            "Trong nhiều năm, vốn đầu tư của khu vực ngoài nhà nước chiếm khoảng một nửa tổng vốn đầu tư toàn xã hội, khẳng "
            "định vai trò ngày càng lớn của khu vực tư nhân. Số liệu dưới đây mang tính minh họa cho xu hướng đó.",
            Chart(
                "Cơ cấu vốn đầu tư toàn xã hội theo khu vực (%)",
                """Năm,Nhà nước,Ngoài nhà nước,Đầu tư nước ngoài
2020,33,45,22
2021,27,56,17
2022,26,57,17
2023,28,56,16
2024,27,56,17""",
            ),
            Table(
                "Ghi chú đọc biểu đồ",
                (
                    ("Khu vực", "Bao gồm"),
                    ("Nhà nước", "Vốn ngân sách, trái phiếu Chính phủ, tín dụng đầu tư phát triển, vốn doanh nghiệp nhà nước"),
                    ("Ngoài nhà nước", "Doanh nghiệp tư nhân, hộ kinh doanh, hợp tác xã, dân cư"),
                    ("Đầu tư nước ngoài", "Vốn thực hiện của các dự án FDI"),
                ),
            ),
        ),
        tags=("đầu tư", "infographic", "kinh tế vĩ mô"),
        authors=("nhom-du-lieu-taichinh",),
        age=58,
        art="chart",
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Thương mại",
        title="Xuất khẩu nông sản tăng tốc trong quý cuối năm",
        sapo="Đơn hàng gạo, cà phê, rau quả tăng mạnh dịp cuối năm; doanh nghiệp đẩy nhanh truy xuất nguồn gốc để đáp ứng thị trường khó tính.",
        body=(
            "Những tháng cuối năm luôn là cao điểm của xuất khẩu nông sản. Năm nay, nhiều doanh nghiệp cho biết đã kín đơn hàng "
            "đến hết quý, đặc biệt với gạo chất lượng cao, cà phê và trái cây tươi.",
            "Yêu cầu ngày càng khắt khe của các thị trường nhập khẩu về truy xuất nguồn gốc, dư lượng thuốc bảo vệ thực vật "
            "và phát thải khiến doanh nghiệp phải đầu tư bài bản hơn cho vùng nguyên liệu.",
            "Cơ quan hải quan tiếp tục đẩy mạnh thông quan điện tử, kiểm tra chuyên ngành theo hướng quản lý rủi ro, giúp rút "
            "ngắn thời gian hàng hóa nằm ở cửa khẩu.",
            "Theo các hiệp hội ngành hàng, duy trì đà tăng trưởng bền vững đòi hỏi liên kết chặt chẽ hơn giữa nông dân, hợp tác "
            "xã và doanh nghiệp, thay vì cạnh tranh bằng giá.",
        ),
        tags=("xuất khẩu", "nông sản", "hải quan"),
        authors=("hoang-anh-tuan",),
        age=84,
        art="chart",
    ),
    Story(
        section="kinh-te",
        format=STANDARD,
        kicker="Bất động sản",
        title="Nhà ở xã hội: phân khúc được kỳ vọng dẫn dắt thị trường bất động sản",
        sapo="Nguồn cung nhà ở xã hội đang dần cải thiện, nhưng thủ tục xét duyệt người mua và tiếp cận tín dụng vẫn cần tháo gỡ.",
        body=(
            "Sau giai đoạn trầm lắng, thị trường bất động sản đang có những tín hiệu phục hồi, trong đó nhà ở xã hội được kỳ "
            "vọng là phân khúc dẫn dắt nhờ nhu cầu thực rất lớn của người lao động tại các đô thị và khu công nghiệp.",
            "Nhiều địa phương đã dành quỹ đất và công bố danh mục dự án để kêu gọi nhà đầu tư. Tuy vậy, thời gian hoàn thiện "
            "thủ tục đầu tư vẫn kéo dài, khiến nguồn cung chưa theo kịp nhu cầu.",
            Quote(
                "Vợ chồng tôi đều làm ở khu công nghiệp, chỉ mong có một căn hộ vừa túi tiền gần nơi làm việc.",
                "Chị Nguyễn Thị Hoa, công nhân tại Bắc Giang",
            ),
            "Giới chuyên gia kiến nghị số hóa quy trình xét duyệt đối tượng mua nhà, công khai danh sách dự án và kéo dài thời "
            "hạn cho vay ưu đãi để người thu nhập thấp thực sự tiếp cận được.",
        ),
        tags=("bất động sản", "nhà ở xã hội"),
        authors=("tran-quoc-bao",),
        age=140,
        art="skyline",
    ),
    Story(
        section="kinh-te",
        format=LONGFORM,
        kicker="Kinh tế số",
        title="Kinh tế số: động lực tăng trưởng mới của nền kinh tế",
        sapo=(
            "Thương mại điện tử, thanh toán số, dịch vụ số đang thay đổi cách người Việt mua bán, làm việc và nộp thuế. "
            "Nhưng để kinh tế số thực sự trở thành động lực, cần nhiều hơn những con số tăng trưởng."
        ),
        body=(
            "Chỉ vài năm trước, thanh toán bằng mã QR ở chợ truyền thống còn là chuyện lạ. Giờ đây, từ gánh hàng rau đến quán "
            "phở ven đường, tấm mã QR đã trở thành vật dụng quen thuộc. Sự thay đổi nhanh chóng ấy là một lát cắt của nền kinh "
            "tế số đang lớn lên từng ngày.",
            Picture("Thanh toán không dùng tiền mặt đã len vào từng quầy hàng nhỏ.", theme="skyline", layout="full"),
            Heading("Từ thương mại điện tử đến dịch vụ số"),
            "Thương mại điện tử là lĩnh vực tăng trưởng nhanh nhất của kinh tế số. Người bán hàng trên nền tảng số không chỉ là "
            "doanh nghiệp lớn, mà còn là hàng trăm nghìn hộ kinh doanh, nông dân bán đặc sản quê mình.",
            Chart(
                "Quy mô thương mại điện tử bán lẻ (tỷ USD, số liệu minh họa)",
                """Năm,Quy mô
2019,11.5
2020,13.2
2021,16.4
2022,20.5
2023,25.0
2024,30.0""",
                kind="line",
            ),
            "Sự tăng trưởng này đặt ra bài toán quản lý thuế công bằng giữa kinh doanh truyền thống và kinh doanh trên nền tảng "
            "số. Cơ quan thuế đã triển khai cổng thông tin điện tử cho nhà cung cấp nước ngoài và yêu cầu các sàn thương mại "
            "điện tử cung cấp thông tin người bán.",
            Heading("Hạ tầng dữ liệu là nền móng"),
            "Kinh tế số vận hành trên dữ liệu. Cơ sở dữ liệu quốc gia về dân cư, định danh điện tử và hóa đơn điện tử đang tạo "
            "nên một nền móng chung, giúp giảm thủ tục và minh bạch hóa giao dịch.",
            Quote(
                "Khi hóa đơn, chứng từ và thanh toán đều là dữ liệu số, chi phí tuân thủ của doanh nghiệp sẽ giảm và không gian "
                "cho gian lận sẽ thu hẹp.",
                "TS. Lê Hoàng Nam, chuyên gia kinh tế",
            ),
            Picture("Dữ liệu kết nối là nền móng của kinh tế số.", theme="network"),
            Heading("Những thách thức phía trước"),
            FactBox(
                "Ba điểm nghẽn",
                (
                    "Kỹ năng số của người lao động và hộ kinh doanh nhỏ còn hạn chế.",
                    "Lừa đảo trực tuyến làm suy giảm niềm tin của người tiêu dùng.",
                    "Khung pháp lý cho các mô hình kinh doanh mới cần được cập nhật nhanh hơn.",
                ),
            ),
            "Để kinh tế số trở thành động lực tăng trưởng thực sự, các chuyên gia cho rằng cần đầu tư đồng bộ cho hạ tầng, "
            "kỹ năng và niềm tin. Trong đó, niềm tin của người dân khi giao dịch trên môi trường số là tài sản khó xây dựng nhất.",
            Related(("Doanh nghiệp nhỏ và vừa chờ đợi những chính sách hỗ trợ thiết thực",)),
        ),
        tags=("kinh tế số", "thương mại điện tử", "chuyển đổi số"),
        authors=("tran-quoc-bao", "nhom-du-lieu-taichinh"),
        age=46,
        art="network",
    ),
    Story(
        section="tai-chinh",
        format=STANDARD,
        kicker="Thuế",
        title="Hoàn thuế điện tử giúp doanh nghiệp nhận tiền nhanh hơn",
        sapo="Phần lớn hồ sơ hoàn thuế giá trị gia tăng hiện được nộp và giải quyết trên môi trường điện tử, rút ngắn đáng kể thời gian chờ của doanh nghiệp.",
        body=(
            "Hoàn thuế nhanh đồng nghĩa với dòng tiền quay vòng nhanh hơn cho doanh nghiệp, nhất là doanh nghiệp xuất khẩu. "
            "Từ khâu nộp hồ sơ, tra cứu kết quả đến nhận tiền hoàn, phần lớn các bước hiện đã được thực hiện trực tuyến.",
            "Cơ quan thuế áp dụng quản lý rủi ro để phân loại hồ sơ: hồ sơ rủi ro thấp được hoàn trước, kiểm tra sau; hồ sơ "
            "có dấu hiệu bất thường được kiểm tra trước khi hoàn.",
            Quote(
                "Trước đây chúng tôi phải chờ vài tháng. Bây giờ chỉ vài tuần là tiền đã về tài khoản.",
                "Kế toán trưởng một doanh nghiệp dệt may",
            ),
            "Tuy vậy, cơ quan thuế cũng khuyến cáo doanh nghiệp lưu ý kiểm tra tình trạng hoạt động của nhà cung cấp để tránh "
            "sử dụng hóa đơn không hợp pháp, dẫn tới bị từ chối hoàn thuế.",
        ),
        tags=("thuế", "hoàn thuế", "doanh nghiệp"),
        authors=("hoang-anh-tuan",),
        age=18,
    ),
    Story(
        section="tai-chinh",
        format=STANDARD,
        kicker="Hóa đơn điện tử",
        title="Hóa đơn điện tử khởi tạo từ máy tính tiền phủ rộng ngành bán lẻ",
        sapo="Từ nhà hàng, siêu thị đến cửa hàng xăng dầu, hóa đơn điện tử khởi tạo từ máy tính tiền giúp minh bạch doanh thu và chống thất thu thuế.",
        body=(
            "Mỗi lần khách hàng thanh toán, dữ liệu hóa đơn được chuyển ngay tới cơ quan thuế. Người mua có thể quét mã trên "
            "hóa đơn để tra cứu, còn người bán không phải chờ cấp mã cho từng giao dịch.",
            "Giải pháp này đặc biệt phù hợp với các lĩnh vực bán lẻ, ăn uống, dịch vụ có số lượng giao dịch lớn và giá trị nhỏ.",
            FactBox(
                "Người mua nên làm gì?",
                (
                    "Yêu cầu hóa đơn khi thanh toán, kể cả với giao dịch nhỏ.",
                    "Quét mã trên hóa đơn để kiểm tra thông tin trên hệ thống của cơ quan thuế.",
                    "Phản ánh qua ứng dụng của ngành thuế khi người bán từ chối xuất hóa đơn.",
                ),
            ),
            "Cơ quan thuế cho biết sẽ tiếp tục rà soát, hỗ trợ các hộ kinh doanh có doanh thu lớn chuyển sang sử dụng hóa đơn "
            "điện tử, đồng thời kết nối dữ liệu với ngân hàng và các sàn thương mại điện tử.",
        ),
        tags=("hóa đơn điện tử", "thuế", "bán lẻ"),
        authors=("hoang-anh-tuan",),
        age=66,
    ),
    Story(
        section="tai-chinh",
        format=INFOGRAPHIC,
        kicker="Ngân sách",
        title="Thu ngân sách nhà nước qua các năm",
        sapo="Tổng thu ngân sách nhà nước và cơ cấu các nguồn thu chính, minh họa bằng biểu đồ và bảng số liệu.",
        body=(
            "Thu ngân sách nhà nước phục hồi sau giai đoạn chịu tác động của dịch bệnh, với thu nội địa là nguồn thu chủ yếu. "
            "Các số liệu dưới đây đã được làm tròn, dùng để minh họa.",
            Chart(
                "Tổng thu ngân sách nhà nước (nghìn tỷ đồng, làm tròn)",
                """Năm,Tổng thu
2019,1.550
2020,1.510
2021,1.570
2022,1.810
2023,1.750
2024,2.020""",
                kind="line",
            ),
            Chart(
                "Cơ cấu thu ngân sách (%)",
                """Nguồn thu,Tỷ trọng
Thu nội địa,84
Thu từ dầu thô,3
Xuất nhập khẩu,13""",
            ),
            Table(
                "Thu ngân sách theo nguồn (nghìn tỷ đồng, minh họa)",
                (
                    ("Năm", "Thu nội địa", "Dầu thô", "Xuất nhập khẩu"),
                    ("2022", "1.480", "80", "250"),
                    ("2023", "1.460", "60", "230"),
                    ("2024", "1.700", "55", "265"),
                ),
            ),
        ),
        tags=("ngân sách", "infographic", "thuế"),
        authors=("nhom-du-lieu-taichinh",),
        age=94,
    ),
    Story(
        section="tai-chinh",
        format=PODCAST,
        kicker="Podcast Tiền & Ta",
        title="Hiểu đúng về trái phiếu doanh nghiệp trước khi xuống tiền",
        sapo="Lãi suất hấp dẫn không phải là tất cả. Số podcast này giải thích trái phiếu doanh nghiệp là gì và những câu hỏi nhà đầu tư cá nhân cần đặt ra.",
        body=(
            Audio("Podcast Tiền & Ta – số 8: Trái phiếu doanh nghiệp."),
            "Trái phiếu doanh nghiệp là khoản vay mà doanh nghiệp phát hành để huy động vốn, cam kết trả lãi và gốc theo kỳ hạn. "
            "Khác với tiền gửi ngân hàng, trái phiếu doanh nghiệp không được bảo hiểm tiền gửi.",
            FactBox(
                "Năm câu hỏi trước khi mua",
                (
                    "Doanh nghiệp phát hành kinh doanh ra sao, dòng tiền có đủ trả nợ?",
                    "Trái phiếu có tài sản bảo đảm không, tài sản đó được định giá thế nào?",
                    "Có tổ chức xếp hạng tín nhiệm đánh giá chưa?",
                    "Mình có thể bán lại trước hạn không, ở đâu?",
                    "Mình có phải là nhà đầu tư chứng khoán chuyên nghiệp theo quy định không?",
                ),
            ),
            Quote("Nếu lãi suất cao hơn hẳn mặt bằng chung, hãy hỏi vì sao.", "Khách mời của chương trình"),
            Related(("Hoàn thuế điện tử giúp doanh nghiệp nhận tiền nhanh hơn",)),
        ),
        tags=("trái phiếu", "podcast", "đầu tư"),
        authors=("pham-thanh-huyen",),
        age=36,
        art="studio",
    ),
    Story(
        section="tai-chinh",
        format=STANDARD,
        kicker="Kho bạc",
        title="Kho bạc Nhà nước: hầu hết giao dịch chi ngân sách đã thực hiện trực tuyến",
        sapo="Dịch vụ công trực tuyến của Kho bạc giúp đơn vị sử dụng ngân sách gửi hồ sơ, theo dõi tiến độ và nhận thanh toán mà không cần đến trụ sở.",
        body=(
            "Các đơn vị sử dụng ngân sách giờ đây có thể lập, ký số và gửi hồ sơ thanh toán trực tuyến. Mọi bước xử lý đều "
            "được thông báo qua hệ thống, giúp đơn vị chủ động kế hoạch chi tiêu.",
            "Cán bộ kho bạc cho biết thời gian kiểm soát chi được rút ngắn, trong khi rủi ro sai sót do nhập liệu thủ công giảm hẳn.",
            "Cùng với đó, việc thu ngân sách qua ngân hàng thương mại và các kênh thanh toán điện tử giúp người nộp thuế nộp tiền "
            "mọi lúc, mọi nơi.",
            "Thời gian tới, Kho bạc tiếp tục hoàn thiện hệ thống để kết nối dữ liệu với cơ quan thuế, hải quan và các bộ, ngành.",
        ),
        tags=("kho bạc", "dịch vụ công trực tuyến", "ngân sách"),
        authors=("hoang-anh-tuan",),
        age=110,
    ),
    Story(
        section="tai-chinh",
        format=STANDARD,
        kicker="Chứng khoán",
        title="Nhà đầu tư cá nhân trở lại thị trường chứng khoán",
        sapo="Số tài khoản mở mới tăng trở lại, phần lớn là nhà đầu tư trẻ mở tài khoản hoàn toàn trực tuyến.",
        body=(
            "Sau giai đoạn thận trọng, dòng tiền của nhà đầu tư cá nhân đã quay lại thị trường chứng khoán. Theo các công ty "
            "chứng khoán, phần lớn tài khoản mới được mở qua ứng dụng di động với định danh điện tử.",
            "Sự tham gia của nhà đầu tư trẻ làm thanh khoản thị trường sôi động hơn, nhưng cũng đặt ra yêu cầu về giáo dục tài chính.",
            Quote("Đừng đầu tư vào thứ mình không hiểu, và đừng dùng tiền vay để lướt sóng.", "Một chuyên gia phân tích chứng khoán"),
            "Cơ quan quản lý tiếp tục hoàn thiện hệ thống giao dịch và giám sát, hướng tới nâng hạng thị trường.",
        ),
        tags=("chứng khoán", "đầu tư"),
        authors=("tran-quoc-bao",),
        age=160,
    ),
    Story(
        section="tai-chinh",
        format=STANDARD,
        kicker="Bảo hiểm",
        title="Bảo hiểm vi mô: lá chắn tài chính cho người thu nhập thấp",
        sapo="Với mức phí chỉ vài chục nghìn đồng mỗi tháng, bảo hiểm vi mô giúp người lao động tự do và hộ nông dân có thêm điểm tựa khi rủi ro xảy ra.",
        body=(
            "Bảo hiểm vi mô là sản phẩm có mức phí thấp, quyền lợi đơn giản, hướng tới người có thu nhập thấp, những người vốn ít "
            "khi tiếp cận các sản phẩm bảo hiểm truyền thống.",
            "Sản phẩm thường được cung cấp thông qua các tổ chức chính trị – xã hội, hợp tác xã hoặc tổ chức tài chính vi mô, "
            "giúp giảm chi phí phân phối.",
            "Theo các chuyên gia, bảo hiểm vi mô chỉ phát huy hiệu quả khi thủ tục bồi thường nhanh, đơn giản và người tham gia "
            "hiểu rõ quyền lợi của mình.",
        ),
        tags=("bảo hiểm", "an sinh xã hội"),
        authors=("hoang-anh-tuan",),
        age=200,
    ),
    Story(
        section="xa-hoi",
        format=STANDARD,
        kicker="An sinh",
        title="Bảo hiểm xã hội tự nguyện: điểm tựa cho lao động tự do",
        sapo="Ngân sách hỗ trợ một phần mức đóng, giúp người lao động tự do có cơ hội hưởng lương hưu khi về già.",
        body=(
            "Lao động tự do như người bán hàng rong, thợ xây, lái xe công nghệ thường không có lương hưu khi hết tuổi lao động. "
            "Bảo hiểm xã hội tự nguyện được thiết kế để lấp khoảng trống này.",
            "Người tham gia được lựa chọn mức thu nhập làm căn cứ đóng và phương thức đóng linh hoạt theo tháng, quý hoặc năm. "
            "Nhà nước hỗ trợ một phần tiền đóng cho người thuộc hộ nghèo, cận nghèo và các đối tượng khác.",
            Quote(
                "Tôi bán rau ở chợ hơn hai mươi năm. Giờ mỗi tháng để dành một ít đóng bảo hiểm, mong về già không phải phụ thuộc con cái.",
                "Bà Trần Thị Lý, tiểu thương ở Hà Nội",
            ),
            "Nhiều địa phương đang đẩy mạnh tuyên truyền, hướng dẫn người dân đăng ký và đóng tiền qua ứng dụng điện thoại.",
        ),
        tags=("bảo hiểm xã hội", "an sinh xã hội", "lao động"),
        authors=("nguyen-thu-ha",),
        age=25,
    ),
    Story(
        section="xa-hoi",
        format=PHOTO,
        kicker="Thiện nguyện",
        title="Những chuyến hàng nghĩa tình lên vùng cao",
        sapo="Công đoàn các đơn vị ngành Tài chính mang áo ấm, sách vở và nhu yếu phẩm tới học sinh, người dân vùng cao trước mùa đông.",
        body=(
            "Đoàn công tác xuất phát từ sáng sớm, vượt hơn ba trăm cây số đường núi để đến điểm trường.",
            Gallery(
                "Mùa đông ấm trên bản cao",
                (
                    ("Những chuyến xe chở hàng vượt đèo trong sương sớm.", "river"),
                    ("Các em học sinh đón đoàn ở điểm trường.", "crowd"),
                    ("Áo ấm, chăn và sách vở được trao tận tay các em.", "crowd"),
                    ("Bản làng nhìn từ trên cao khi đoàn trở về.", "river"),
                ),
            ),
            "Chuyến đi là một trong nhiều hoạt động thiện nguyện thường niên của công đoàn các đơn vị trong ngành.",
        ),
        tags=("thiện nguyện", "vùng cao"),
        authors=("minh-khoa",),
        age=70,
        art="river",
    ),
    Story(
        section="xa-hoi",
        format=STANDARD,
        kicker="Ngân hàng số",
        title="Người cao tuổi làm quen với nhận lương hưu qua tài khoản",
        sapo="Nhận lương hưu qua tài khoản ngân hàng giúp người cao tuổi không phải xếp hàng, nhưng nhiều người vẫn cần được hướng dẫn từng bước.",
        body=(
            "Thay vì đến điểm chi trả mỗi tháng, ngày càng nhiều người hưởng lương hưu đã chuyển sang nhận tiền qua tài khoản. "
            "Tiền về đúng ngày, không phải chờ đợi, rút tiền ở bất cứ cây ATM nào.",
            "Tuy vậy, với nhiều người cao tuổi, ứng dụng ngân hàng vẫn còn lạ lẫm. Con cháu, cán bộ bưu điện và ngân hàng trở "
            "thành những người hướng dẫn kiên nhẫn.",
            FactBox(
                "Lưu ý an toàn",
                (
                    "Không cung cấp mã OTP cho bất kỳ ai, kể cả người tự xưng là cán bộ.",
                    "Không bấm vào đường link lạ gửi qua tin nhắn.",
                    "Khi nghi ngờ, gọi ngay tổng đài chính thức của ngân hàng.",
                ),
            ),
            "Cơ quan bảo hiểm xã hội khuyến khích người hưởng đăng ký nhận qua tài khoản nhưng vẫn duy trì điểm chi trả trực tiếp "
            "cho những ai chưa thuận tiện.",
        ),
        tags=("lương hưu", "ngân hàng số", "người cao tuổi"),
        authors=("nguyen-thu-ha",),
        age=130,
    ),
    Story(
        section="xa-hoi",
        format=VIDEO,
        kicker="Thuế thu nhập cá nhân",
        title="Quyết toán thuế thu nhập cá nhân trực tuyến trong năm bước",
        sapo="Video ngắn hướng dẫn người lao động tự quyết toán thuế thu nhập cá nhân trên ứng dụng của ngành thuế.",
        body=(
            Video("Các bước quyết toán thuế thu nhập cá nhân trực tuyến."),
            FactBox(
                "Năm bước",
                (
                    "Đăng nhập bằng tài khoản định danh điện tử.",
                    "Chọn kỳ quyết toán và kiểm tra tờ khai gợi ý.",
                    "Bổ sung thông tin người phụ thuộc, khoản giảm trừ nếu có.",
                    "Ký và nộp tờ khai.",
                    "Theo dõi kết quả, nộp thêm hoặc đề nghị hoàn thuế.",
                ),
            ),
            "Cơ quan thuế khuyến nghị người nộp thuế kiểm tra kỹ các khoản thu nhập trên tờ khai gợi ý trước khi nộp.",
        ),
        tags=("thuế thu nhập cá nhân", "video", "dịch vụ công trực tuyến"),
        authors=("minh-khoa", "hoang-anh-tuan"),
        age=90,
    ),
    Story(
        section="xa-hoi",
        format=STANDARD,
        kicker="Giáo dục",
        title="Miễn học phí: ngân sách bố trí thế nào để không ai bị bỏ lại",
        sapo="Chính sách miễn, giảm học phí cần nguồn lực lớn và ổn định; cơ quan tài chính các cấp đang tính toán phương án bố trí.",
        body=(
            "Miễn học phí cho học sinh là chính sách nhận được sự đồng tình rộng rãi của xã hội. Để chính sách đi vào cuộc sống, "
            "ngân sách nhà nước phải bảo đảm phần kinh phí bù đắp cho các cơ sở giáo dục.",
            "Theo các chuyên gia tài chính công, điều quan trọng là phân bổ kinh phí kịp thời, đúng đối tượng và công khai, để "
            "nhà trường không bị thiếu hụt nguồn chi thường xuyên.",
            "Cùng với miễn học phí, các chính sách hỗ trợ chi phí học tập cho học sinh vùng khó khăn, học sinh khuyết tật tiếp "
            "tục được duy trì.",
        ),
        tags=("giáo dục", "ngân sách", "an sinh xã hội"),
        authors=("nguyen-thu-ha",),
        age=180,
        art="crowd",
    ),
    Story(
        section="van-hoa",
        format=STANDARD,
        kicker="Triển lãm",
        title="Tám mươi năm ngành Tài chính qua triển lãm tư liệu và hiện vật",
        sapo="Những tờ giấy bạc đầu tiên, sổ sách kế toán viết tay và hình ảnh tư liệu quý kể lại chặng đường tám mươi năm của ngành Tài chính.",
        body=(
            "Ngày 28/8/1945, Bộ Tài chính được thành lập trong Chính phủ lâm thời nước Việt Nam Dân chủ Cộng hòa. Triển lãm "
            "tư liệu và hiện vật nhân dịp tám mươi năm truyền thống đưa người xem trở lại những năm tháng đầu tiên ấy.",
            "Khu trưng bày được chia theo từng giai đoạn lịch sử, từ thời kỳ kháng chiến với phong trào \"Tuần lễ vàng\" đến "
            "thời kỳ đổi mới và chuyển đổi số hôm nay.",
            Quote(
                "Nhìn những cuốn sổ kế toán viết tay, tôi càng hiểu giá trị của từng con số mà thế hệ trước đã gìn giữ.",
                "Một cán bộ trẻ của ngành đến tham quan",
            ),
            "Triển lãm có thêm không gian trình chiếu số, cho phép người xem tra cứu tư liệu và nghe thuyết minh bằng điện thoại.",
        ),
        tags=("lịch sử", "triển lãm", "Bộ Tài chính"),
        authors=("hoang-anh-tuan",),
        age=55,
    ),
    Story(
        section="van-hoa",
        format=PODCAST,
        kicker="Podcast Tòa soạn số",
        title="Nghề báo trong kỷ nguyên số: trò chuyện với những người trẻ",
        sapo="Ba nhà báo trẻ kể về việc vừa viết, vừa quay, vừa dựng, và điều khiến họ vẫn chọn ở lại với nghề.",
        body=(
            Audio("Podcast Tòa soạn số – số 13: Nghề báo của những người trẻ."),
            "Với thế hệ phóng viên trẻ, một chiếc điện thoại đủ để tác nghiệp từ đầu đến cuối. Nhưng áp lực tốc độ cũng lớn hơn bao giờ hết.",
            Quote("Nhanh là cần, nhưng đúng mới là điều giữ độc giả ở lại.", "Một khách mời của chương trình"),
            "Chương trình cũng bàn về sức khỏe tinh thần của người làm báo trong môi trường tin tức liên tục hai mươi bốn giờ.",
            Related(("Mọi phóng viên, biên tập viên ngành Tài chính sẽ được đào tạo kỹ năng số",)),
        ),
        tags=("nghề báo", "podcast", "người trẻ"),
        authors=("pham-thanh-huyen",),
        age=150,
        art="studio",
    ),
    Story(
        section="van-hoa",
        format=STANDARD,
        kicker="Giải thưởng",
        title="Giải báo chí ngành Tài chính: nhiều tác phẩm đa phương tiện ấn tượng",
        sapo="Lần đầu tiên, hạng mục báo chí dữ liệu và đa phương tiện nhận được số tác phẩm dự thi nhiều hơn báo in truyền thống.",
        body=(
            "Giải báo chí năm nay ghi nhận sự dịch chuyển rõ nét về hình thức thể hiện. Bên cạnh các loạt bài điều tra, nhiều "
            "tác phẩm sử dụng biểu đồ tương tác, video ngắn và podcast để giải thích chính sách tài chính.",
            "Ban giám khảo đánh giá cao những tác phẩm làm rõ các vấn đề phức tạp như ngân sách, thuế, trái phiếu bằng ngôn ngữ "
            "dễ hiểu, gần gũi với người đọc.",
            "Giải thưởng là dịp tôn vinh những tổ chức, cá nhân có sáng kiến trong chuyển đổi số báo chí, đúng tinh thần Kế hoạch "
            "của Bộ Tài chính.",
        ),
        tags=("giải báo chí", "báo chí"),
        authors=("tran-quoc-bao",),
        age=220,
    ),
    Story(
        section="van-hoa",
        format=STANDARD,
        kicker="Văn hóa đọc",
        title="Thư viện điện tử mở cửa cho cán bộ, công chức ngành Tài chính",
        sapo="Hàng nghìn đầu sách chuyên ngành, tạp chí và tài liệu nghiên cứu được số hóa, có thể đọc trên điện thoại.",
        body=(
            "Thư viện điện tử dùng chung giúp cán bộ, công chức tra cứu tài liệu chuyên ngành mọi lúc, mọi nơi, thay vì phải "
            "đến phòng đọc.",
            "Bên cạnh sách nghiệp vụ về thuế, hải quan, kế toán, thư viện còn có tủ sách văn học, lịch sử và kỹ năng sống.",
            "Ban quản lý thư viện cho biết sẽ tiếp tục số hóa tài liệu lưu trữ và bổ sung sách nói cho người bận rộn.",
        ),
        tags=("văn hóa đọc", "thư viện", "chuyển đổi số"),
        authors=("nguyen-thu-ha",),
        age=236,
    ),
]
