#!/usr/bin/env python3
"""Adds one bt_loss case to a copy of the reference fixtures, the way ../shared/reference/ writes them.

Usage: scripts/bt-loss-case.py FIXTURES NAME --n N --d D [--seed S] [--lambd 0.0051]

Writes FIXTURES/bt/NAME_{z1,z2,grad_z1,grad_z2,c,bn_z1,bn_z2}.npy and the manifest entry
bt_loss.NAME with the same keys as the generated cases: the float64 loss and terms, the float32
ones, and the float32-versus-float64 spread of every output. Python's standard library only (no
NumPy, no PyTorch): float64 is Python's float; float32 rounds after every operation, sums taken in
order, so its distance from float64 is an honest float32 spread. For showing that the reference
tests run every case a fixture set holds; it never touches ../shared/fixtures itself.
"""
import argparse
import json
import math
import os
import random
import struct


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def identity(x):
    return x


def columns(z):
    return [[row[j] for row in z] for j in range(len(z[0]))]


def standardize(z, r, eps):
    """(z - mean) / sqrt(biased var + eps) per column, every operation rounded by r."""
    n = len(z)
    out = [[0.0] * len(z[0]) for _ in range(n)]
    sigmas = []
    for j, col in enumerate(columns(z)):
        total = 0.0
        for x in col:
            total = r(total + x)
        mean = r(total / n)
        centred = [r(x - mean) for x in col]
        sq = 0.0
        for c in centred:
            sq = r(sq + r(c * c))
        sigma = r(math.sqrt(r(r(sq / n) + eps)))
        sigmas.append(sigma)
        for i, c in enumerate(centred):
            out[i][j] = r(c / sigma)
    return out, sigmas


def correlation(a, b, r):
    n, d = len(a), len(a[0])
    c = [[0.0] * d for _ in range(d)]
    for i in range(d):
        for j in range(d):
            s = 0.0
            for k in range(n):
                s = r(s + r(a[k][i] * b[k][j]))
            c[i][j] = r(s / n)
    return c


def terms(c, lambd, r):
    on = off = 0.0
    for i, row in enumerate(c):
        for j, x in enumerate(row):
            if i == j:
                on = r(on + r(r(1 - x) * r(1 - x)))
            else:
                off = r(off + r(x * x))
    return on, off, r(on + r(lambd * off))


def gradients(z1, z2, a, b, sig_a, sig_b, c, lambd, r):
    """dL/dz1, dL/dz2: dL/dC, then through C = aᵀb/N, then through the standardisation."""
    n, d = len(a), len(a[0])
    g = [[r(-2 * r(1 - c[i][j])) if i == j else r(2 * r(lambd * c[i][j])) for j in range(d)] for i in range(d)]
    ga = [[0.0] * d for _ in range(n)]  # dL/da = b Gᵀ / N
    gb = [[0.0] * d for _ in range(n)]  # dL/db = a G / N
    for k in range(n):
        for i in range(d):
            sa = sb = 0.0
            for j in range(d):
                sa = r(sa + r(b[k][j] * g[i][j]))
                sb = r(sb + r(a[k][j] * g[j][i]))
            ga[k][i], gb[k][i] = r(sa / n), r(sb / n)
    return through_standardize(ga, a, sig_a, r), through_standardize(gb, b, sig_b, r)


def through_standardize(g, zhat, sigmas, r):
    """dz = (g - mean(g) - ẑ · mean(g ẑ)) / σ per column (the batch-norm backward, biased variance)."""
    n, d = len(g), len(g[0])
    out = [[0.0] * d for _ in range(n)]
    for j in range(d):
        sg = sgz = 0.0
        for k in range(n):
            sg = r(sg + g[k][j])
            sgz = r(sgz + r(g[k][j] * zhat[k][j]))
        mg, mgz = r(sg / n), r(sgz / n)
        for k in range(n):
            out[k][j] = r(r(r(g[k][j] - mg) - r(zhat[k][j] * mgz)) / sigmas[j])
    return out


def compute(z1, z2, lambd, eps, r):
    a, sig_a = standardize(z1, r, eps)
    b, sig_b = standardize(z2, r, eps)
    c = correlation(a, b, r)
    on, off, loss = terms(c, lambd, r)
    g1, g2 = gradients(z1, z2, a, b, sig_a, sig_b, c, lambd, r)
    return dict(loss=loss, on=on, off=off, c=c, bn_z1=a, bn_z2=b, grad_z1=g1, grad_z2=g2)


def save_npy(path, rows):
    shape = (len(rows), len(rows[0]))
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % shape
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        for row in rows:
            f.write(struct.pack("<%df" % len(row), *row))


def entry(folder, name, rows):
    flat = [x for row in rows for x in row]
    rel = f"bt/{name}.npy"
    save_npy(os.path.join(folder, rel), rows)
    return {"file": rel, "shape": [len(rows), len(rows[0])], "dtype": "float32",
            "sum": math.fsum(flat), "absmax": max(abs(x) for x in flat)}


def maxabs(x, y):
    return max(abs(p - q) for rx, ry in zip(x, y) for p, q in zip(rx, ry))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("fixtures")
    parser.add_argument("name")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lambd", type=float, default=0.0051)
    args = parser.parse_args()
    if os.path.realpath(args.fixtures) == os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures")):
        raise SystemExit("bt-loss-case: write to a copy of the fixtures, not to ../shared/fixtures")
    eps = 1e-5
    rng = random.Random(args.seed)
    z1 = [[f32(rng.gauss(0, 1) * 2 + 0.5) for _ in range(args.d)] for _ in range(args.n)]
    z2 = [[f32(rng.gauss(0, 1) - 0.3 * x) for x in row] for row in z1]
    exact = compute(z1, z2, args.lambd, eps, identity)
    single = compute(z1, z2, f32(args.lambd), f32(eps), f32)
    name, folder = args.name, args.fixtures
    manifest_path = os.path.join(folder, "manifest.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    manifest["bt_loss"][name] = {
        "N": args.n, "D": args.d, "seed": args.seed,
        "note": "scripts/bt-loss-case.py: z1 = 2*N(0,1)+0.5, z2 = N(0,1) - 0.3*z1; float32 emulated in Python",
        "lambd": args.lambd, "bn_eps": eps, "c_divisor": args.n,
        "inputs": {"z1": entry(folder, f"{name}_z1", z1), "z2": entry(folder, f"{name}_z2", z2)},
        "outputs": {key: entry(folder, f"{name}_{key}", single[key]) for key in ["grad_z1", "grad_z2", "c", "bn_z1", "bn_z2"]},
        "expected": {
            "loss_f32": single["loss"], "on_diag_f32": single["on"], "off_diag_f32": single["off"],
            "loss_f64": exact["loss"], "on_diag_f64": exact["on"], "off_diag_f64": exact["off"],
            "loss_f64_manual_formula": exact["on"] + args.lambd * exact["off"],
            "maxabs_grad_z1_f32_minus_f64": maxabs(single["grad_z1"], exact["grad_z1"]),
            "maxabs_grad_z2_f32_minus_f64": maxabs(single["grad_z2"], exact["grad_z2"]),
            "maxabs_c_f32_minus_f64": maxabs(single["c"], exact["c"]),
        },
    }
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"bt_loss.{name}: N {args.n}, D {args.d}, loss {exact['loss']:.9g} (float32 {single['loss']:.9g}) → {manifest_path}")


if __name__ == "__main__":
    main()
