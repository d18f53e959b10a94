"""Open an Eddy ensemble as an xarray.Dataset with named dimensions.

An ensemble directory holds ensemble.zarr, which needs no helper: xr.open_zarr("runs/e/ensemble.zarr").
This script also opens the HDF5 copy that `eddy ensemble export --h5 DIR` writes (DIR/ensemble.h5):

    import sys; sys.path.insert(0, "scripts")
    from eddy_ensemble import open_ensemble
    ds = open_ensemble("runs/e")                              # the directory (its ensemble.zarr), or a .zarr, or an .h5
    ds.omega.isel(snapshot=-1, member=0)                      # member 0's last field, dims (y, x)
    ds.energy.mean("member")                                  # the ensemble's mean energy per sample (.h5: diagnostics_energy)
    ds.spectrum.isel(snapshot=-1).std("member")               # the spread of the last spectra

In the HDF5 export each dataset names its dimensions in its 'dims' attribute (comma-separated), and a
dataset named like a dimension is its coordinate (member, snapshot, sample, k, x, y); jhdf, which writes
the file, has no HDF5 dimension scales. Datasets of the 'diagnostics' group become diagnostics_<name>.
Needs xarray and zarr, and h5py for .h5 (Debian: python3-xarray, python3-zarr, python3-h5py).
"""
import os
import sys

import xarray as xr


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def open_ensemble(path):
    p = os.fspath(path)
    if os.path.isdir(os.path.join(p, "ensemble.zarr")):
        p = os.path.join(p, "ensemble.zarr")
    if os.path.isdir(p):
        return xr.open_zarr(p)
    import h5py
    f = h5py.File(p, "r")
    data = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and "dims" in obj.attrs:
            data[name.replace("/", "_")] = (_text(obj.attrs["dims"]).split(","), obj[...])

    f.visititems(visit)
    attrs = {k: _text(v) for k, v in f.attrs.items()}
    f.close()
    return xr.Dataset(data, attrs=attrs)


if __name__ == "__main__":
    print(open_ensemble(sys.argv[1]))
