from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .models import Media

# Video and audio follow the images' rule: a person changes and deletes the
# items of the collections they may change (their unit's), or those they
# uploaded there; choosing one for a story is open to everyone who writes.
media_permission_policy = CollectionOwnershipPermissionPolicy(Media, owner_field_name="uploaded_by")
