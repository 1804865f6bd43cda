"""Writing output files: only when their bytes change, and never half-written."""
from __future__ import annotations

import os


def replace_if_changed(path: str, data: bytes) -> bool:
    """Put `data` at `path` unless the file already holds exactly these bytes; True if written.

    The new bytes go to a temporary file that then replaces the old one in one
    rename, so a server reading the file meanwhile sees the old or the new
    version, never a truncated one.
    """
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as existing:
                if existing.read() == data:
                    return False
    except OSError:
        pass
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        output = open(temporary, "wb")
    except FileNotFoundError:  # its folder is new: made only then, not asked for every file
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        output = open(temporary, "wb")
    with output:
        output.write(data)
    os.replace(temporary, path)
    return True
