"""The embedded file-system broker never hands a worker half a message."""

import os
import threading
import time

from kombu import Connection

from hoitu.celery import app


def test_filesystem_urls_use_the_atomic_transport():
    with app.connection_for_write("filesystem://localhost//") as connection:
        assert type(connection.transport).__module__ == "hoitu.broker"


def test_readers_polling_while_messages_are_written_never_get_a_partial_one(tmp_path, tmp_path_factory):
    """A reader polling the folder as fast as it can, while a writer sends
    large messages: every message read is whole (kombu's own transport can
    hand over an empty file and the worker dies on it)."""
    # kombu writes its exchange bindings to ./control/ unless told otherwise.
    options = {
        "data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path_factory.mktemp("control")),
        "store_processed": False,
    }
    payload = "x" * 2_000_000
    count = 30
    received, errors = [], []

    deadline = time.monotonic() + 60

    def read():
        with Connection("filesystem://", transport_options=options) as connection:
            queue = connection.SimpleQueue("race")
            while len(received) < count and time.monotonic() < deadline:
                try:
                    message = queue.get(timeout=0.001)
                except queue.Empty:
                    continue
                except Exception as error:  # a partial file would fail to decode
                    errors.append(error)
                    return
                received.append(len(message.payload))
                message.ack()

    with Connection("filesystem://", transport_options=options) as connection:
        queue = connection.SimpleQueue("race")
        # Declared (its binding written) before the reader starts: kombu
        # reads and appends the exchange file without a lock, and a message
        # published while the reader writes its binding could go nowhere.
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        for _ in range(count):
            queue.put(payload)
    reader.join(60)
    assert not errors
    assert received == [len(payload)] * count
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]
