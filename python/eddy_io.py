"""Eddy's outputs as xarray and NumPy objects.

    import eddy_io
    ds = eddy_io.open_run("runs/a")          # xarray.Dataset: omega(time, y, x), spectrum(time, k), energy(diag_time), ...
    ds.omega.isel(time=-1).plot()
    e = eddy_io.open_ensemble("runs/e")      # xarray.Dataset: omega(snapshot, member, y, x), energy(sample, member), nu(member), ...
    codes = eddy_io.open_codes("runs/a/codes.eddyc")            # z, alpha, t per snapshot, and omega decoded
    p = eddy_io.open_pipeline("runs/p")      # settings, metrics, horizon table (xarray), ROM store if one was written

Needs NumPy and xarray (with zarr for the run store); Debian 12: python3-xarray python3-zarr.
The run and ensemble stores need no helper at all (xr.open_zarr("runs/a/snapshots.zarr"),
xr.open_zarr("runs/e/ensemble.zarr")); this module adds the
code file (docs/codec-format.md) and the pipeline directory, and finds the store in a run directory.
"""
import json
import os
import struct

import numpy as np

__all__ = ["open_run", "open_ensemble", "open_codes", "decode", "open_pipeline", "read_codes_header"]

STORE = "snapshots.zarr"
ENSEMBLE_STORE = "ensemble.zarr"


def open_run(path, **kwargs):
    """A run directory (or its snapshots.zarr, or a decoded .zarr store) as an xarray.Dataset."""
    import xarray as xr
    p = os.fspath(path)
    if os.path.isdir(os.path.join(p, STORE)):
        p = os.path.join(p, STORE)
    return xr.open_zarr(p, **kwargs)


def open_ensemble(path, **kwargs):
    """An ensemble directory (or its ensemble.zarr) as an xarray.Dataset: omega(snapshot, member, y, x),
    spectrum(snapshot, member, k), the diagnostics (sample, member), each member's settings and fate as
    coordinates along member (docs/store-format.md). Why each member stopped: ds.attrs["reason"]."""
    import xarray as xr
    p = os.fspath(path)
    if os.path.isdir(os.path.join(p, ENSEMBLE_STORE)):
        p = os.path.join(p, ENSEMBLE_STORE)
    return xr.open_zarr(p, **kwargs)


# ------------------------------------------------------------------------------------------ codes

_HEADER = struct.Struct("<8sIIIIIIII dd QQQQQ II")
assert _HEADER.size == 104


def read_codes_header(path):
    """The header of a .eddyc file as a dict (checks magic, version, size and the header's own fields)."""
    with open(path, "rb") as f:
        raw = f.read(104)
        size = os.fstat(f.fileno()).st_size
    if len(raw) < 104:
        raise ValueError("%s: truncated (%d bytes, shorter than the 104-byte header)" % (path, len(raw)))
    (magic, version, header_bytes, n, k, tile, flags, real_bytes, _r0, theta, sigma, count,
     latent_bytes, alpha_bytes, ternary_bytes, record_bytes, _r1, _crc) = _HEADER.unpack(raw)
    if magic != b"EDDYCODE":
        raise ValueError("%s: not an Eddy code file" % path)
    if version != 1:
        raise ValueError("%s: format version %d (this reader knows 1)" % (path, version))
    d = 2 * (2 * k + 1) * (k + 1)
    if (latent_bytes != d * real_bytes or alpha_bytes != (n // tile) ** 2 * real_bytes or ternary_bytes != n * n // 4
            or record_bytes != 16 + latent_bytes + alpha_bytes + ternary_bytes + 4):
        raise ValueError("%s: section lengths do not match N, K, T" % path)
    if size != 104 + count * record_bytes:
        raise ValueError("%s: %d bytes, the header announces %d snapshots (%d bytes)"
                         % (path, size, count, 104 + count * record_bytes))
    return dict(n=n, k=k, tile=tile, majority=bool(flags & 1), real_bytes=real_bytes, theta=theta, sigma=sigma,
                snapshots=count, latent_dimension=d, record_bytes=record_bytes)


def _records(path, h):
    real = np.dtype("<f4" if h["real_bytes"] == 4 else "<f8")
    n, tile, d = h["n"], h["tile"], h["latent_dimension"]
    tiles = (n // tile) ** 2
    rec = np.dtype([("step", "<i8"), ("time", "<f8"), ("z", real, (d,)), ("alpha", real, (tiles,)),
                    ("t", "u1", (n * n // 4,)), ("crc", "<u4")])
    assert rec.itemsize == h["record_bytes"]
    return np.memmap(path, dtype=rec, mode="r", offset=104, shape=(h["snapshots"],))


def _unpack_ternary(packed, n):
    """2-bit codes, cell c at bits 2(c mod 4) of byte c // 4: 00 → 0, 01 → +1, 10 → −1."""
    b = np.asarray(packed, dtype=np.uint8)
    codes = np.stack([(b >> (2 * i)) & 3 for i in range(4)], axis=-1).reshape(-1)[: n * n]
    if np.any(codes == 3):
        raise ValueError("invalid 2-bit code 11 in the ternary residual")
    out = np.zeros(n * n, dtype=np.int8)
    out[codes == 1] = 1
    out[codes == 2] = -1
    return out.reshape(n, n)


def decode(record, h, residual=True):
    """One snapshot's field ω̃ = L(Z) [+ α·t] as an (N, N) float64 array (row = y), per docs/codec-format.md."""
    n, k, tile, sigma = h["n"], h["k"], h["tile"], h["sigma"]
    z = np.asarray(record["z"], dtype=np.float64)
    zc = (z[0::2] + 1j * z[1::2]).reshape(2 * k + 1, k + 1)  # rows ky = −K … K, columns kx = 0 … K
    half = np.zeros((n, n // 2 + 1), dtype=np.complex128)
    ky = np.arange(-k, k + 1)
    kx = np.arange(0, k + 1)
    filt = np.exp(-0.5 * sigma ** 2 * (ky[:, None] ** 2 + kx[None, :] ** 2)) if sigma > 0 else 1.0
    half[ky % n, : k + 1] = zc * filt * n * n
    field = np.fft.irfft2(half, s=(n, n))
    if residual:
        alpha = np.asarray(record["alpha"], dtype=np.float64).reshape(n // tile, n // tile)
        scale = np.repeat(np.repeat(alpha, tile, axis=0), tile, axis=1)
        field = field + scale * _unpack_ternary(record["t"], n)
    return field


def open_codes(path, decode_fields=True, residual=True):
    """A .eddyc file as an xarray.Dataset: z(time, latent), alpha(time, tile), t (packed bytes) and, unless
    decode_fields=False, omega(time, y, x) decoded in NumPy (held in memory: S·N² values). Each record's
    CRC-32C is not recomputed here (zlib has no Castagnoli CRC): `eddy decode` verifies them."""
    import xarray as xr
    h = read_codes_header(path)
    r = _records(path, h)
    n = h["n"]
    coords = dict(time=("time", np.asarray(r["time"]), {"units": "1", "long_name": "simulated time"}),
                  step=("time", np.asarray(r["step"])))
    data = dict(z=(("time", "latent"), np.asarray(r["z"])), alpha=(("time", "tile"), np.asarray(r["alpha"])),
                t=(("time", "byte"), np.asarray(r["t"])))
    if decode_fields:
        x = 2 * np.pi * np.arange(n) / n
        coords.update(x=("x", x, {"units": "1"}), y=("y", x, {"units": "1"}))
        omega = np.stack([decode(r[i], h, residual) for i in range(len(r))]) if len(r) else np.zeros((0, n, n))
        data["omega"] = (("time", "y", "x"), omega, {"long_name": "vorticity (decoded)", "units": "1"})
    attrs = {key: (int(v) if isinstance(v, bool) else v) for key, v in h.items()}
    attrs["decoded_with_residual"] = int(residual)
    return xr.Dataset(data, coords=coords, attrs=attrs)


# ------------------------------------------------------------------------------------------ pipeline

class Pipeline(dict):
    """A pipeline directory: keys 'settings' and 'metrics' (dicts), 'horizon' (xarray.Dataset over
    proxy_step), and 'rom' when the directory holds a reduced-order-model store (rom.zarr, rom.h5 or
    rom.npz: an xarray.Dataset, or a dict of NumPy arrays)."""


def open_pipeline(path):
    import xarray as xr
    p = os.fspath(path)
    out = Pipeline()
    with open(os.path.join(p, "pipeline.json")) as f:
        out["settings"] = json.load(f)
    m = os.path.join(p, "metrics.json")
    if os.path.exists(m):
        with open(m) as f:
            out["metrics"] = json.load(f)
    csv = os.path.join(p, "horizon.csv")
    if os.path.exists(csv):
        table = np.genfromtxt(csv, delimiter=",", names=True)
        table = np.atleast_1d(table)
        names = table.dtype.names
        out["horizon"] = xr.Dataset({c: ("proxy_step", table[c]) for c in names if c != "proxy_step"},
                                    coords={"proxy_step": table["proxy_step"].astype(int)})
    for name in ("rom.zarr", "rom.h5", "rom.npz"):
        q = os.path.join(p, name)
        if os.path.exists(q):
            out["rom"] = _open_rom(q)
            break
    return out


def _open_rom(q):
    if q.endswith(".zarr"):
        import xarray as xr
        return xr.open_zarr(q)
    if q.endswith(".npz"):
        with np.load(q) as z:
            return {k: z[k] for k in z.files}
    import h5py
    with h5py.File(q, "r") as f:
        out = {}
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
        return out
