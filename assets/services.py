import logging

from wagtail.images import get_image_model

from . import similarity
from .renditions import all_filter_specs

logger = logging.getLogger(__name__)


def generate_renditions(image_id, specs=None):
    """Make ``image_id``'s renditions for ``specs`` (every one the public
    templates use when None); those made already are kept."""
    # The database says which exist, not the renditions' cache: an entry
    # left there (a restored database, a rolled-back test) would leave a
    # picture without renditions for good, its pages on their stand-ins.
    image = get_image_model().objects.filter(pk=image_id).prefetch_related("renditions").first()
    if image is None:  # deleted before the worker got to it
        return 0
    made = len(image.get_renditions(*(specs or all_filter_specs())))
    try:
        # Read with the picture at hand: its same and similar pictures.
        similarity.fingerprint(image)
    except Exception:  # a picture without fingerprints is still a picture
        logger.warning("picture %s: fingerprints not read", image_id, exc_info=True)
    return made
