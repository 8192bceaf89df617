"""Writing a file whole or not at all: a temporary file beside the target, moved in place only
when the writing succeeded (``os.replace``, atomic on one file system).

A command that fails leaves no file behind, and an older file of the same name stays as it was.
The temporary file is created readable by its owner only (mode 0600), and so is the result:
exports hold survey answers, code slips hold codes.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from scoring.errors import UserError


@contextmanager
def replacing(path: str | Path) -> Iterator[str]:
    """A temporary file beside ``path`` that replaces it when the block succeeds, so a failed
    write never leaves half a file."""
    path = Path(path)
    if not path.parent.exists():
        raise UserError.single("the folder does not exist", file=str(path.parent))
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """``data`` into ``path`` through :func:`replacing`."""
    with replacing(path) as temp:
        Path(temp).write_bytes(data)
    return Path(path)
