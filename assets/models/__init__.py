from .images import ArchiveImage, ArchiveRendition
from .licensing import License
from .media import Media

__all__ = ["ArchiveImage", "ArchiveRendition", "License", "Media"]
