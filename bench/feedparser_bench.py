#!/usr/bin/env python3
"""Times Python's feedparser the way `feedstand bench-parse` times Feedstand.

    /usr/bin/python3 bench/feedparser_bench.py DIR ROUNDS

Every file under DIR (recursively, skipping MANIFEST.tsv) is read into memory first, parsed
once untimed to count failures (FAIL lines on stderr), then ROUNDS timed passes are made over
all files. Prints one line on stdout, the same as bench-parse:

    RESULT peer=feedparser files=N bytes=N rounds=N seconds=S mb_per_s=X files_per_s=Y failed=N

feedparser never throws on bad input; it sets `bozo`. A file counts as failed when the result
is bozo and has neither entries nor a feed title, i.e. feedparser found no feed in it.
Feedparser runs with its defaults, which sanitize HTML and resolve relative URLs.
Use Debian's python3-feedparser: /usr/bin/python3 (a pyenv python3 on PATH may lack it).
"""

import io
import os
import sys
import time

import feedparser


def load(directory):
    paths = []
    for parent, _, names in os.walk(directory):
        for name in names:
            if name != "MANIFEST.tsv":
                paths.append(os.path.join(parent, name))
    paths.sort()
    files = []
    for path in paths:
        with open(path, "rb") as f:
            files.append((os.path.relpath(path, directory), f.read()))
    return files


def parse(data):
    # A stream, so feedparser never mistakes the bytes for a file name or a URL.
    result = feedparser.parse(io.BytesIO(data))
    touched = len(result.feed.get("title", ""))
    for entry in result.entries:
        touched += len(entry.get("title", ""))
        touched += len(entry.get("summary", ""))
        for content in entry.get("content", ()):
            touched += len(content.get("value", ""))
    return result, touched


def failure(result):
    if result.get("bozo") and not result.entries and not result.feed.get("title"):
        reason = result.get("bozo_exception")
        return f"{type(reason).__name__}: {reason}" if reason is not None else "no feed"
    return None


def main(argv):
    if len(argv) != 3:
        print("usage: feedparser_bench.py DIR ROUNDS", file=sys.stderr)
        return 1
    directory = argv[1]
    if not os.path.isdir(directory):
        print(f"feedparser_bench: no such folder: {os.path.abspath(directory)}", file=sys.stderr)
        return 1
    try:
        rounds = int(argv[2])
    except ValueError:
        rounds = 0
    if rounds < 1:
        print("feedparser_bench: ROUNDS must be a whole number of at least 1", file=sys.stderr)
        return 1

    files = load(directory)

    failed = 0
    for path, data in files:
        try:
            reason = failure(parse(data)[0])
        except Exception as error:  # feedparser is not supposed to throw; if it does, the file failed
            reason = f"{type(error).__name__}: {error}"
        if reason is not None:
            failed += 1
            print(f"FAIL {path}: {reason.splitlines()[0]}", file=sys.stderr)

    total_bytes = sum(len(data) for _, data in files)
    touched = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for _, data in files:
            try:
                touched += parse(data)[1]
            except Exception:  # counted once in the untimed pass
                pass
    seconds = time.perf_counter() - start

    megabytes = total_bytes * rounds / (1024 * 1024)
    print(
        f"RESULT peer=feedparser files={len(files)} bytes={total_bytes} rounds={rounds} "
        f"seconds={seconds:.3f} mb_per_s={megabytes / seconds:.2f} "
        f"files_per_s={len(files) * rounds / seconds:.1f} failed={failed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
