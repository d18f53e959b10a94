"""Open an Eddy ensemble's ensemble.h5 as an xarray.Dataset with named dimensions.

    import sys; sys.path.insert(0, "scripts")
    from eddy_ensemble import open_ensemble
    ds = open_ensemble("runs/e/ensemble.h5")
    ds.omega.isel(snapshot=-1, member=0)                      # member 0's last field, dims (y, x)
    ds.diagnostics_energy.mean("member")                      # the ensemble's mean energy per sample
    ds.spectrum.isel(snapshot=-1).std("member")               # the spread of the last spectra

Each dataset of the file names its dimensions in its 'dims' attribute (comma-separated), and a dataset
named like a dimension is its coordinate (member, snapshot, sample, k, x, y); jhdf, which writes the
file, has no HDF5 dimension scales. Datasets of the 'diagnostics' group become diagnostics_<name>.
Needs h5py and xarray (Debian: python3-h5py, python3-xarray).
"""
import sys

import h5py
import xarray as xr


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def open_ensemble(path):
    f = h5py.File(path, "r")
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
