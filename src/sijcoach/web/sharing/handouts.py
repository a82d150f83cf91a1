"""The PDF handout made at most once, kept as a file, and never made by too many requests at once.

WeasyPrint takes seconds of CPU for a handout. Each one is kept under DATA_DIR/handouts/<person>/,
named by a hash of its HTML (the plan, the day it is printed, the paper and the name in the footer):
the same handout is never made twice, and a changed plan simply has another name, so nothing needs
clearing. Making one holds two file locks, which every worker process sees: the person's own (one
handout at a time each) and one of HANDOUT_RENDERS slots (so workers stay free for the pages). A
request that finds its lock taken is told to come back (Busy: 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import locks

from sijcoach.exports.handout import Handout, pdf_from_html

RETRY_S = 5  # about one handout's making
KEEP_S = 2 * 24 * 3600  # a handout prints its day, so older files are not asked for again


class Busy(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.retry_after_s = RETRY_S


def _root() -> Path:
    return Path(settings.DATA_DIR) / "handouts"


def _folder(person_id: int) -> Path:
    return _root() / str(int(person_id))


@contextmanager
def _lock(path: Path):
    """Whether the lock at `path` was taken (without waiting); it is held until the block ends."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # Django's file locks (flock on POSIX), as its file storage uses them.
        yield locks.lock(fd, locks.LOCK_EX | locks.LOCK_NB)
    finally:
        os.close(fd)  # and with it the lock


@contextmanager
def _slot():
    """One of the HANDOUT_RENDERS places to make a handout, or None when every one is taken."""
    for number in range(max(1, settings.HANDOUT_RENDERS)):
        with _lock(_root() / f"slot-{number}.lock") as taken:
            if taken:
                yield number
                return
    yield None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _keep(path: Path, body: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")  # readable by the owner only
    with os.fdopen(fd, "wb") as out:
        out.write(body)
    os.replace(temporary, path)  # whole or not at all, for a reader in another process
    _clear_old(path.parent.glob("*.pdf"))


def _clear_old(files) -> int:
    old, removed = time.time() - KEEP_S, 0
    for file in files:
        try:
            if file.stat().st_mtime < old:
                file.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def clear_old() -> int:
    """Every person's handouts made more than KEEP_S ago (the daily job: clear_handouts); how many."""
    return _clear_old(_root().glob("*/*.pdf"))


def handout_pdf(person_id: int, handout: Handout) -> bytes:
    """The handout's PDF: the kept file, or made now and kept. Raises Busy instead of waiting."""
    return kept_pdf(person_id, handout.html(), "Your handout", "handouts")


def kept_pdf(person_id: int, html: str, what: str, plural: str) -> bytes:
    """The PDF of `html` about this person (a handout, or their coach's review summary): the kept file,
    or made now and kept, under the same locks. Raises Busy (naming `what`, or `plural` when every
    slot is taken) instead of waiting."""
    folder = _folder(person_id)
    path = folder / f"{hashlib.sha256(html.encode()).hexdigest()}.pdf"
    body = _read(path)
    if body is not None:
        return body
    _root().mkdir(mode=0o700, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    with _lock(folder / "making.lock") as mine:
        if not mine:
            raise Busy(f"{what} is being made: it will be ready in a few seconds.")
        body = _read(path)  # made by the request that held the lock a moment ago
        if body is not None:
            return body
        with _slot() as slot:
            if slot is None:
                raise Busy(f"Many {plural} are being made just now: try again in a few seconds.")
            body = pdf_from_html(html)
        _keep(path, body)
    return body


def forget(person_id: int) -> None:
    """The person's account is deleted: so are their handouts."""
    shutil.rmtree(_folder(person_id), ignore_errors=True)
