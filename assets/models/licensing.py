from django.db import models
from django.utils.translation import gettext_lazy as _


class License(models.TextChoices):
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    AGENCY = "agency", _("Licensed from a news agency")
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC0 = "cc0", _("CC0 / public domain")
    GOVERNMENT = "government", _("Government document, free to reuse")
