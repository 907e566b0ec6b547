"""kombu's file-system broker (the embedded default), with messages written
atomically.

kombu writes a message file in place, and a worker polling the folder can
read it before it is complete: it gets an empty message, logs
"Unrecoverable error: JSONDecodeError" and exits. Here a message is written
under a name the readers skip (``….msg.part``) and renamed once complete;
a rename within one folder is atomic.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as message:
                message.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def install():
    """Make ``filesystem://`` broker URLs use this transport."""
    TRANSPORT_ALIASES["filesystem"] = "hoitu.broker:Transport"
