from .authors import Author
from .pages import (
    ArticleAuthor,
    ArticleCorrection,
    ArticleFormat,
    ArticlePage,
    ArticlePageTag,
    HomePage,
    SectionPage,
)
from .placements import HomePlacement, HomePosition
from .search import StorySearchEntry
from .units import Unit
from .users import PasswordHistory, User

__all__ = [
    "ArticleAuthor",
    "ArticleCorrection",
    "ArticleFormat",
    "ArticlePage",
    "ArticlePageTag",
    "Author",
    "HomePage",
    "HomePlacement",
    "HomePosition",
    "PasswordHistory",
    "SectionPage",
    "StorySearchEntry",
    "Unit",
    "User",
]
