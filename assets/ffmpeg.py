"""Running ffmpeg for the media worker, one way everywhere: local files
only (no network protocol, whatever a file names inside it), bounded
threads, a time limit of its own under the task's, the progress it reports,
and the tail of its log when it fails. With ``Unreadable``, the reason a
file cannot be used, in the newsroom's words."""

import ctypes
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext as _

# How much of a tool's own message a failed item keeps.
LOG_TAIL = 2000
PROBE_SECONDS = 60
# The longest one run may take, whatever the recording's length: under
# the media tasks' limit (assets/tasks.py), so the item says why.
RUN_SECONDS_MAX = 1400
# How often a run reports its progress (each report is a row update).
PROGRESS_EVERY = 1.0
PROGRESS_TIME = re.compile(rb"^out_time_us=(\d+)$")
PR_SET_PDEATHSIG = 1
# Loaded here: the child between fork and exec should do no more than call it.
LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


class Unreadable(Exception):
    """Not a video or audio file the worker can use: ``reason`` for the
    newsroom, ``log`` the tool's words."""

    def __init__(self, reason, log=""):
        super().__init__(reason)
        self.reason, self.log = reason, log


def run(arguments, seconds, report=None, loglevel="warning"):
    """ffmpeg with ``arguments`` on ``seconds`` of recording, within
    MEDIA_TRANSCODE_SECONDS_PER_MINUTE of them; ``report(fraction)`` as it
    goes. Returns its log; Unreadable with the log's tail when it fails."""
    command = [
        # -xerror: a stream that breaks off mid-way fails the item rather
        # than making a shorter video that looks whole.
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", loglevel, "-y", "-xerror", "-protocol_whitelist", "file",
        "-threads", str(settings.MEDIA_FFMPEG_THREADS), "-progress", "pipe:1", "-stats_period", f"{max(PROGRESS_EVERY / 2, 0.05):g}",
        "-nostats", *arguments,
    ]  # fmt: skip
    # Under the task's own limit, so ffmpeg is stopped here and the item
    # says why, rather than the worker process being killed.
    limit = min(settings.MEDIA_TRANSCODE_SECONDS_PER_MINUTE * max(seconds or 0, 60) / 60, RUN_SECONDS_MAX)
    timed_out = threading.Event()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, preexec_fn=_die_with_parent)

        def stop():
            timed_out.set()
            process.kill()

        watchdog = threading.Timer(limit, stop)
        watchdog.start()
        last = 0.0
        try:
            for line in process.stdout:
                found = PROGRESS_TIME.match(line.strip())
                if found and report and seconds and time.monotonic() - last >= PROGRESS_EVERY:
                    last = time.monotonic()
                    report(int(found.group(1)) / 1e6 / seconds)
            process.wait()
        finally:
            watchdog.cancel()
            process.stdout.close()
            if process.poll() is None:  # an exception here (the task's own limit): ffmpeg goes too
                process.kill()
                process.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
    if timed_out.is_set():
        raise Unreadable(_("Converting the file took longer than the limit of %(minutes)s minutes.") % {"minutes": math.ceil(limit / 60)})
    if process.returncode != 0:
        raise Unreadable(_("The file could not be converted: it may be damaged or cut short."), text[-LOG_TAIL:])
    return text


def probe(path, *entries):
    """ffprobe's JSON for a local file (``entries``: extra arguments, such
    as ``-show_packets``), within PROBE_SECONDS."""
    command = ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-print_format", "json", *entries, path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise Unreadable(_("Reading the file took longer than %(seconds)s seconds.") % {"seconds": PROBE_SECONDS}) from error
    log = done.stderr.decode(errors="replace")[-LOG_TAIL:]
    try:
        if done.returncode != 0:
            raise ValueError(done.returncode)
        return json.loads(done.stdout)
    except ValueError as error:
        raise Unreadable(_("This file is not a video or a sound recording the newsroom can read."), log) from error


def _die_with_parent():
    # A media worker killed (SIGKILL, its time limit) takes its ffmpeg with
    # it, rather than leaving it converting for nobody.
    if LIBC is not None:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextmanager
def local_path(field_file):
    """A path the tools can read for a stored file: its own on local disk,
    a temporary copy from object storage."""
    try:
        path = field_file.path
    except NotImplementedError:  # object storage: a local copy for the tools
        path = None
    if path is not None:
        yield path
        return
    suffix = os.path.splitext(field_file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        copy_to(field_file.storage, field_file.name, copy)
        copy.flush()
        yield copy.name


def copy_to(storage, name, local):
    """Copy the stored file ``name`` into the open local file ``local``:
    downloaded straight into it when the storage can (object storage,
    hoitu.storage.MediaBucket: in parallel ranges, never held in memory),
    else read through the storage."""
    download = getattr(storage, "download", None)
    if download is not None:
        download(name, local)
        return
    with storage.open(name, "rb") as source:
        shutil.copyfileobj(source, local, 1024 * 1024)
