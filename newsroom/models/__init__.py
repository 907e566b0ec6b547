from .authors import Author
from .pages import ArticleAuthor, ArticleFormat, ArticlePage, ArticlePageTag, HomePage, SectionPage
from .units import Unit
from .users import User

__all__ = [
    "ArticleAuthor",
    "ArticleFormat",
    "ArticlePage",
    "ArticlePageTag",
    "Author",
    "HomePage",
    "SectionPage",
    "Unit",
    "User",
]
