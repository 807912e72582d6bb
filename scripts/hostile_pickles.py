#!/usr/bin/env python3
"""Writes one hostile torch.save-style file per class of memory attack on a restricted unpickler.

Standard library only (no torch): every pickle is assembled opcode by opcode, as an attacker would.
Each file is small; read naively, each would build gigabytes. scripts/hostile-import-rss.sh runs
`barlow import` on every file and prints the peak resident memory against the bound
(2 x the file's size + 200 MB).

Usage: scripts/hostile_pickles.py DIR   -> DIR/CLASS.pth, one per class below
"""
import os
import struct
import sys
import zipfile

PROTO = b"\x80\x02"
MARK, STOP, POP, DUP = b"(", b".", b"0", b"2"
NONE, EMPTY_LIST, EMPTY_DICT, EMPTY_TUPLE = b"N", b"]", b"}", b")"
APPEND, APPENDS, LIST, TUPLE, TUPLE2, SETITEM, SETITEMS = b"a", b"e", b"l", b"t", b"\x86", b"s", b"u"
REDUCE, BINPERSID, MEMOIZE, NEWFALSE = b"R", b"Q", b"\x94", b"\x89"


def binint(n):
    return b"J" + struct.pack("<i", n)


def long8(n):
    return b"\x8a\x08" + struct.pack("<q", n)


def text(s):
    data = s.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def binput(i):
    return b"r" + struct.pack("<I", i)


def binget(i):
    return b"j" + struct.pack("<I", i)


def stack_global(module, name):
    return text(module) + text(name) + b"\x93"


def tensor_args(count, size, stride, key="0"):
    """The argument tuple of torch._utils._rebuild_tensor_v2 for a float tensor viewing storage KEY."""
    pid = MARK + text("storage") + stack_global("torch", "FloatStorage") + text(key) + text("cpu") + long8(count) + TUPLE
    shape = MARK + b"".join(long8(s) for s in size) + TUPLE
    strides = MARK + b"".join(long8(s) for s in stride) + TUPLE
    return MARK + pid + BINPERSID + long8(0) + shape + strides + NEWFALSE + EMPTY_DICT + TUPLE


def laughs(levels=40):
    """A 'billion laughs': each list holds the one before twice (memo references, linear in the
    file); a reader that copies every path through the graph builds 2^levels lists."""
    p = PROTO + EMPTY_DICT + text("x") + EMPTY_LIST + binput(0) + POP
    for level in range(1, levels + 1):
        p += MARK + binget(level - 1) + binget(level - 1) + LIST + binput(level) + POP
    return p + binget(levels) + SETITEM + STOP


def dict_copies(pairs=60_000, copies=60_000):
    """A dict's worth of pairs built once; collections.OrderedDict called again and again on one memoised list of distinct pairs:
    each call copies every pair, so the elements built grow as pairs x copies."""
    p = PROTO + stack_global("collections", "OrderedDict") + binput(0) + POP
    p += EMPTY_LIST + MARK + b"".join(binint(i) + NONE + TUPLE2 for i in range(pairs)) + APPENDS
    p += b"\x85" + binput(1) + POP                # TUPLE1: the argument tuple (list,)
    p += EMPTY_LIST + MARK
    p += (binget(0) + binget(1) + REDUCE) * copies
    return p + APPENDS + STOP


def values(count=3_000_000):
    """Millions of one-byte opcodes that each build an object (EMPTY_LIST), gathered in one list."""
    return PROTO + MARK + EMPTY_LIST * count + LIST + STOP


def memo(count=3_000_000):
    """Millions of one-byte MEMOIZE opcodes: each adds a memo entry."""
    return PROTO + NONE + MEMOIZE * count + STOP


def deep(depth=1_000_000):
    """Lists nested a million levels deep (a recursive reader overflows its stack)."""
    return PROTO + EMPTY_LIST * depth + APPEND * (depth - 1) + STOP


def stride0():
    """One float of storage seen through a stride-0 view of 2^31 - 1 elements: 8 GB once copied."""
    return PROTO + EMPTY_DICT + text("w") + stack_global("torch._utils", "_rebuild_tensor_v2") \
        + tensor_args(1, [2**31 - 1], [0]) + REDUCE + SETITEM + STOP


def views(side=512, count=20_000):
    """A 1 MB storage seen transposed by thousands of separate tensors: each is a 1 MB copy."""
    p = PROTO + stack_global("torch._utils", "_rebuild_tensor_v2") + binput(0) + POP
    p += tensor_args(side * side, [side, side], [1, side]) + binput(1) + POP
    p += EMPTY_DICT + MARK
    for i in range(count):
        p += text(f"t{i}") + binget(0) + binget(1) + REDUCE
    return p + SETITEMS + STOP


def write(path, pickle, storages=(), compress=False):
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as z:
        z.writestr("archive/data.pkl", pickle)
        for key, size in storages:
            with z.open(f"archive/data/{key}", "w", force_zip64=True) as entry:
                chunk = bytes(1 << 20)
                for start in range(0, size, len(chunk)):
                    entry.write(chunk[: min(len(chunk), size - start)])
        z.writestr("archive/version", "3\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    f = lambda name: os.path.join(out, name + ".pth")
    write(f("laughs"), laughs())
    write(f("dict-copies"), dict_copies())
    write(f("values"), values())
    write(f("memo"), memo())
    write(f("deep"), deep())
    write(f("stride0"), stride0(), storages=[("0", 4)])
    write(f("views"), views(), storages=[("0", 4 * 512 * 512)])
    # a 1 GB storage declared by the pickle and by the zip entry, deflated to ~1 MB
    gib = 1 << 30
    write(f("storage-bomb"),
          PROTO + EMPTY_DICT + text("w") + stack_global("torch._utils", "_rebuild_tensor_v2")
          + tensor_args(gib // 4, [gib // 4], [1]) + REDUCE + SETITEM + STOP,
          storages=[("0", gib)], compress=True)
    # a data.pkl that inflates to 2 GB of NONE/POP pairs
    with zipfile.ZipFile(f("pickle-bomb"), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("archive/data.pkl", "w", force_zip64=True) as entry:
            entry.write(PROTO)
            chunk = (NONE + POP) * (1 << 19)
            for _ in range(2048):
                entry.write(chunk)
            entry.write(EMPTY_DICT + STOP)
    for name in sorted(os.listdir(out)):
        print(f"{os.path.getsize(os.path.join(out, name)):>10}  {name}")


if __name__ == "__main__":
    main()
