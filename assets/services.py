from wagtail.images import get_image_model

from .renditions import all_filter_specs


def generate_renditions(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted before the worker got to it
        return 0
    return len(image.get_renditions(*all_filter_specs()))
