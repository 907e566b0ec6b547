from .captions import CaptionTrack
from .images import ArchiveImage, ArchiveImageBand, ArchiveRendition
from .licensing import License
from .media import Media, MediaFrameBand, MediaPart
from .uploads import ResumableUpload

__all__ = ["ArchiveImage", "ArchiveImageBand", "ArchiveRendition", "CaptionTrack", "License", "Media", "MediaFrameBand", "MediaPart", "ResumableUpload"]
