"""What an uploaded file is, read from its first bytes rather than its
name (filetype's signatures): a video or audio item's file must be video
or sound, whatever it is called."""

import filetype

HEAD = 8192
MEDIA_TYPES = {
    "video/mp4", "video/webm", "video/quicktime", "video/x-m4v", "video/x-matroska",
    "audio/mpeg", "audio/mp4", "audio/x-wav", "audio/wav", "audio/ogg", "audio/aac", "audio/x-aac", "audio/opus", "audio/x-flac",
}  # fmt: skip


def content_type(uploaded):
    """The MIME type the file's first bytes say, or None when they say
    nothing filetype knows. Leaves the file where it was."""
    position = uploaded.tell()
    uploaded.seek(0)
    head = uploaded.read(HEAD)
    uploaded.seek(position)
    guessed = filetype.guess(head)
    return guessed.mime if guessed else None


def is_media(mime):
    return mime in MEDIA_TYPES
