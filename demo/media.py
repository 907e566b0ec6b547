"""The demo video and audio: committed files (see build_files.py) and what
the archive records about them. Plain values, no models, so build_files.py
runs without Django."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoMedia:
    title: str
    kind: str  # assets.models.Media.Kind
    file: str
    duration: float
    caption: str
    credit: str
    width: int | None = None
    height: int | None = None
    poster_theme: str = ""
    poster_key: str = ""
    transcript: str = ""
    license: str = "cc0"  # assets.models.License


VIDEO = DemoMedia(
    title="Tòa soạn hội tụ – video minh họa",
    kind="video",
    file="toa-soan-hoi-tu.mp4",
    duration=5.0,
    width=640,
    height=360,
    poster_theme="network",
    poster_key="video-toa-soan-hoi-tu",
    caption="Đoạn video minh họa dòng chảy dữ liệu trong một tòa soạn hội tụ.",
    credit="Video: Hội Tụ",
)

AUDIO = DemoMedia(
    title="Nhạc nền bản tin – âm thanh minh họa",
    kind="audio",
    file="nhac-nen-ban-tin.mp3",
    duration=20.0,
    poster_theme="studio",
    poster_key="audio-nhac-nen-ban-tin",
    caption="Đoạn âm thanh minh họa dùng cho các số podcast mẫu.",
    credit="Âm thanh: Hội Tụ",
    transcript=(
        "Đoạn nhạc nền không lời, dài hai mươi giây, mở đầu và kết thúc các số podcast mẫu của Hội Tụ. "
        "Nội dung từng số được tóm tắt trong phần ghi chú bên dưới mỗi bài."
    ),
)

ALL = (VIDEO, AUDIO)
