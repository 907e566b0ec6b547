"""The recovery codes django-otp kept in clear (otp_static) become
RecoveryCodes digests, and the clear ones are deleted. Those codes are 40
bits, half of what is issued now, so their digests are easier to reverse
than the new codes': issuing new ones from the account replaces them.
Digests cannot be turned back into codes: undone, this leaves people
without recovery codes, and they issue new ones from their account."""

import hashlib
from collections import defaultdict

from django.db import migrations


def digest(code):
    # As RecoveryCodes.digest: this migration must keep matching it.
    return hashlib.sha256(str(code).lower().replace(" ", "").replace("-", "").encode()).hexdigest()


def hash_static_tokens(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodes = apps.get_model("workflows", "RecoveryCodes")
    digests = defaultdict(list)
    for user_id, token in StaticToken.objects.filter(device__confirmed=True).values_list("device__user_id", "token"):
        digests[user_id].append(digest(token))
    RecoveryCodes.objects.bulk_create(
        RecoveryCodes(user_id=user_id, name="Recovery codes", confirmed=True, digests=codes) for user_id, codes in digests.items()
    )
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_recovery_codes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_static_tokens, migrations.RunPython.noop)]
