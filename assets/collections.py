"""The archive's shared part: the collection every unit chooses from. The
units' own parts sit under it, and what the archive managers curate for
all; a unit's private part sits beside it, under the root, where only its
own staff (and the archive managers, who hold the root) reach
(workflows.roles grants who may do what where)."""

from wagtail.models import Collection

SHARED_ARCHIVE_NAME = "Kho dùng chung"  # stored in Vietnamese whatever the admin language


def shared_collection():
    """The shared part, created under the root the first time it is asked for."""
    root = Collection.get_first_root_node()
    shared = root.get_children().filter(name=SHARED_ARCHIVE_NAME).first()
    return shared or root.add_child(name=SHARED_ARCHIVE_NAME)


def shared_collection_id():
    """Where an archive item goes when nothing says otherwise (the field's
    default): the shared part, not the root, which only the archive
    managers reach."""
    return shared_collection().pk
