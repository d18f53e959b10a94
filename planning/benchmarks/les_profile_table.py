#!/usr/bin/env python3
"""Per-operation profile of one LES right-hand-side evaluation from an `eddy bench` JSON (key profile_ms, stage 1 of
the RK4 step), with the bytes each operation must move at least and the bandwidth that implies.

Bytes per operation (s = bytes per real, half = N/2+1, W = K+1 kept columns, F = 6 spectral fields and P = 3
products with the SGS model; a padded field Fp = 2·half·N·s, a compact field Fc = 2·W·N·s):
  les_spectral_fields      read ω̂ on the written columns + write F fields   (fused: Fc + F·Fc; 2D: Fp + F·Fp)
  VkFFT C2C y batch F/P    one read and one write of each field             (2·F·Fc, 2·P·Fc)
  les_row_transform        read F compact fields, write P                    (F·Fc + P·Fc)
  VkFFT C2R batch F        two passes, each a read and a write               (4·F·Fp)
  les_physical_products    read F physical fields, write P                   ((F + P)·Fp)
  VkFFT R2C batch P        two passes                                        (4·P·Fp)
  les_explicit_term        read the P products on the kept modes, write k    (P·Fc·(2K+1)/N + Fp)
  les_lawson_combine       stage 1 of RK4: read ω̂ and k₁, write the stage input (3·Fp)
Usage: les_profile_table.py BENCH.json N [N ...]
"""
import json
import sys


def model(op, n, s):
    half, w = n // 2 + 1, (n - 1) // 3 + 1
    fp, fc = 2 * half * n * s, 2 * w * n * s
    F, P = 6, 3
    if op == 'les_spectral_fields':
        return None  # depends on the path: filled by the caller
    if op.startswith('VkFFT C2C y batch'):
        return 2 * int(op.split()[4]) * fc
    if op == 'les_row_transform':
        return (F + P) * fc
    if op.startswith('VkFFT C2R batch'):
        return 4 * F * fp
    if op == 'les_physical_products':
        return (F + P) * fp
    if op.startswith('VkFFT R2C batch'):
        return 4 * P * fp
    if op == 'les_explicit_term':
        return P * fc * (2 * (w - 1) + 1) / n + fp
    if op == 'les_lawson_combine':
        return 3 * fp
    return 0


def table(path, sizes):
    d = json.load(open(path))
    print(f"{d.get('label', path)}\n")
    print("| N | precision | operation | ms per RHS | bytes (MB) | TB/s |")
    print("|---|---|---|---|---|---|")
    for r in d['results']:
        if r.get('n') not in sizes or not r.get('profile_ms'):
            continue
        s = 8 if r['precision'] == 'fp64' else 4
        n = r['n']
        prof = r['profile_ms']
        fused = any('row_transform' in k for k in prof)
        total = 0.0
        for key, ms in prof.items():
            if not key.startswith('stage 1: '):
                continue
            op = key[len('stage 1: '):]
            if op == 'les_spectral_fields':
                half, w = n // 2 + 1, (n - 1) // 3 + 1
                f = 2 * (w if fused else half) * n * s
                b = 7 * f
            else:
                b = model(op, n, s)
            total += ms
            bw = f"{b / (ms * 1e-3) / 1e12:.2f}" if b else "—"
            print(f"| {n} | {r['precision']} | {op} | {ms:.4f} | {b / 1e6:.0f} | {bw} |")
        print(f"| {n} | {r['precision']} | **RHS (stage 1)** | **{total:.4f}** | | |")
    print()


if __name__ == '__main__':
    table(sys.argv[1], [int(x) for x in sys.argv[2:]])
