#!/usr/bin/env python3
"""Reads and damages runlet container records (src/state.h), for the crash
and corruption tests.

  record.py show FILE             each copy: valid or why not; the data area
  record.py newest FILE           slot of the newer valid copy (or "none")
  record.py damage FILE HOW       damages the record as HOW says (below)
  record.py set-pid FILE PID      rewrites every valid copy with another pid
                                  (and a fitting CRC): a reused pid
  record.py forge FILE ID BUNDLE  writes a valid record of a stopped
                                  container, as a create would (no process)

HOW:
  zero-newer, zero-older, zero-both       zeros over whole copies
  garbage-newer, garbage-older, garbage-both
  torn-newer, torn-older                  the second half of a copy zeroed,
                                          as a write cut at 64 bytes
  flip-data                               one bit of the create-time data
  truncate-N                              the file cut to N bytes
  truncate-half-data                      cut in the middle of the data
  append-garbage                          64 bytes more at the end
  empty                                   an empty file
  format-2                                the newer copy re-encoded as
                                          format 2, with a valid CRC
"""
import os
import struct
import sys
import zlib

RECORD = 128
DATA_OFFSET = 2 * RECORD
MAGIC = b"RLR1"
STATUS = {1: "creating", 2: "created", 3: "running", 4: "paused", 5: "stopped"}


def crc_of(rec):
    return zlib.crc32(rec[:12] + b"\0\0\0\0" + rec[16:RECORD]) & 0xFFFFFFFF


def decode(img, slot):
    """(seq, status, pid) of a valid copy, or a string saying why not."""
    if len(img) < DATA_OFFSET:
        return "file shorter than the two copies"
    rec = img[slot * RECORD:(slot + 1) * RECORD]
    data = img[DATA_OFFSET:]
    if rec[:4] != MAGIC:
        return "no magic"
    if crc_of(rec) != struct.unpack_from("<I", rec, 12)[0]:
        return "bad CRC"
    fmt = struct.unpack_from("<H", rec, 4)[0]
    if fmt != 1:
        return "format %d" % fmt
    dlen, dcrc = struct.unpack_from("<II", rec, 56)
    if dlen != len(data) or dcrc != zlib.crc32(data) & 0xFFFFFFFF:
        return "data length or CRC differs"
    if rec[6] not in STATUS:
        return "bad status %d" % rec[6]
    seq = struct.unpack_from("<I", rec, 8)[0]
    pid = struct.unpack_from("<I", rec, 16)[0]
    return (seq, STATUS[rec[6]], pid)


def newest(img):
    v = [decode(img, s) for s in (0, 1)]
    ok = [isinstance(x, tuple) for x in v]
    if ok[0] and ok[1]:
        d = (v[0][0] - v[1][0]) & 0xFFFFFFFF
        return 0 if 0 < d < 0x80000000 else 1
    if ok[0]:
        return 0
    if ok[1]:
        return 1
    return None


def reencode(rec, **fields):
    rec = bytearray(rec)
    if "fmt" in fields:
        struct.pack_into("<H", rec, 4, fields["fmt"])
    if "pid" in fields:
        struct.pack_into("<I", rec, 16, fields["pid"])
    struct.pack_into("<I", rec, 12, 0)
    struct.pack_into("<I", rec, 12, zlib.crc32(bytes(rec)) & 0xFFFFFFFF)
    return bytes(rec)


def forge(path, cid, bundle):
    """A record file as state_create() writes it, status stopped."""
    def item(tag, data):
        return struct.pack("<HH", tag, len(data)) + data
    data = item(1, cid.encode() + b"\0") + item(2, bundle.encode() + b"\0") + \
        item(8, (bundle + "/rootfs").encode() + b"\0")
    rec = bytearray(RECORD)
    rec[:4] = MAGIC
    struct.pack_into("<HBB", rec, 4, 1, 5, 0)
    struct.pack_into("<I", rec, 8, 1)
    struct.pack_into("<Q", rec, 48, 1700000000 * 10**9)
    struct.pack_into("<II", rec, 56, len(data), zlib.crc32(data) & 0xFFFFFFFF)
    struct.pack_into("<I", rec, 12, zlib.crc32(bytes(rec)) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(bytes(rec) + b"\0" * RECORD + data)


def write_at(path, off, data):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, off)
    finally:
        os.close(fd)


def damage(path, how):
    img = open(path, "rb").read()
    n = newest(img)
    slots = {"newer": [n], "older": [None if n is None else n ^ 1], "both": [0, 1]}

    def targets(which):
        t = slots[which]
        if None in t:
            sys.exit("record.py: %s has no valid copy to damage" % path)
        return t

    kind, _, which = how.partition("-")
    if kind in ("zero", "garbage", "torn") and which in slots:
        for s in targets(which):
            if kind == "zero":
                write_at(path, s * RECORD, b"\0" * RECORD)
            elif kind == "garbage":
                write_at(path, s * RECORD, os.urandom(RECORD))
            else:
                write_at(path, s * RECORD + 64, b"\0" * 64)
    elif how == "flip-data":
        if len(img) <= DATA_OFFSET:
            sys.exit("record.py: no data area")
        off = DATA_OFFSET + (len(img) - DATA_OFFSET) // 2
        write_at(path, off, bytes([img[off] ^ 0x10]))
    elif how.startswith("truncate-") and how[9:].isdigit():
        os.truncate(path, int(how[9:]))
    elif how == "truncate-half-data":
        os.truncate(path, DATA_OFFSET + (len(img) - DATA_OFFSET) // 2)
    elif how == "append-garbage":
        with open(path, "ab") as f:
            f.write(os.urandom(64))
    elif how == "empty":
        os.truncate(path, 0)
    elif how == "format-2":
        s = targets("newer")[0]
        write_at(path, s * RECORD, reencode(img[s * RECORD:(s + 1) * RECORD], fmt=2))
    else:
        sys.exit("record.py: unknown damage %s" % how)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, path = sys.argv[1], sys.argv[2]
    img = open(path, "rb").read() if cmd != "forge" else b""
    if cmd == "show":
        for s in (0, 1):
            print("copy %d: %s" % (s, decode(img, s)))
        print("data: %d bytes" % max(0, len(img) - DATA_OFFSET))
    elif cmd == "newest":
        n = newest(img)
        print("none" if n is None else n)
    elif cmd == "damage" and len(sys.argv) == 4:
        damage(path, sys.argv[3])
    elif cmd == "set-pid" and len(sys.argv) == 4:
        for s in (0, 1):
            if isinstance(decode(img, s), tuple):
                write_at(path, s * RECORD,
                         reencode(img[s * RECORD:(s + 1) * RECORD], pid=int(sys.argv[3])))
    elif cmd == "forge" and len(sys.argv) == 5:
        forge(path, sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
