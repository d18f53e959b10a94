"""CI test of the Python side (run by XarrayInteropTest with Debian's python3: xarray, zarr, matplotlib).

Usage: test_eddy_io.py RUN_DIR DECODED.zarr PIPELINE_DIR HEALTH_PY
Checks: the xarray one-liner on the run store with no helper code; labels, coordinates and units; string
attributes as str; the diagnostics on their own time axis; eddy_io.open_run, open_codes (decoded in
NumPy against `eddy decode`), open_pipeline; shared/tools/health.py on the run directory."""
import json
import os
import subprocess
import sys

import matplotlib
matplotlib.use("Agg")
import numpy as np
import xarray as xr

run, decoded, pipeline, health = sys.argv[1:5]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
import eddy_io  # noqa: E402

# 1. the one-liner, no helper code
ds = xr.open_zarr(os.path.join(run, "snapshots.zarr"))
ds.omega.isel(time=-1).plot()
matplotlib.pyplot.savefig(os.path.join(run, "xarray-plot.png"))
assert ds.omega.dims == ("time", "y", "x"), ds.omega.dims
n = ds.sizes["x"]
assert ds.sizes["y"] == n and ds.sizes["k"] == n // 2 + 1, dict(ds.sizes)
assert np.allclose(ds.x.values, 2 * np.pi * np.arange(n) / n) and ds.x.attrs["units"] == "1"
assert list(ds.step.values) == [0, 10, 20], ds.step.values
assert np.all(np.diff(ds.time.values) > 0)
assert ds.spectrum.dims == ("time", "k") and np.isfinite(ds.spectrum.values).all()
# the spectral fluxes: the advection term conserves energy and enstrophy, so the flux out of the last shell is ~0
for flux, transfer in (("energy_flux", "spectral_energy_transfer"), ("enstrophy_flux", "spectral_enstrophy_transfer")):
    f = ds[flux].isel(time=-1).values
    assert ds[flux].dims == ("time", "k") and abs(f[-1]) < 1e-9 * np.abs(ds[transfer].isel(time=-1).values).sum(), (flux, f)
assert abs(float(ds.enstrophy_spectrum.isel(time=0).sum()) - float(ds.enstrophy[0])) < 1e-9 * float(ds.enstrophy[0])
assert ds.energy.dims == ("diag_time",) and ds.sizes["diag_time"] == 5, dict(ds.sizes)
assert abs(float(ds.energy[0]) - 0.5) < 1e-6, float(ds.energy[0])
assert isinstance(ds.attrs["precision"], str) and ds.attrs["precision"] == "fp64"
assert json.loads(ds.attrs["config_json"])["n"] == n
assert ds.omega.attrs["long_name"] == "vorticity"
# the energy of the last snapshot from omega equals the spectrum's sum (conventions agree)
w = ds.omega.isel(time=-1).values
wh = np.fft.fft2(w) / w.size
kk = np.fft.fftfreq(n, 1.0 / n)
k2 = kk[:, None] ** 2 + kk[None, :] ** 2
k2[0, 0] = 1
e = 0.5 * np.sum(np.abs(wh) ** 2 / k2)
assert abs(e - float(ds.spectrum.isel(time=-1).sum())) < 1e-6 * e, (e, float(ds.spectrum.isel(time=-1).sum()))

# 2. the module
r = eddy_io.open_run(run)
assert r.omega.shape == ds.omega.shape
codes = eddy_io.open_codes(os.path.join(run, "codes.eddyc"))
dec = eddy_io.open_run(decoded)
assert list(codes.step.values) == list(dec.step.values) == [0, 10, 20]
diff = np.max(np.abs(codes.omega.values - dec.omega.values))
assert diff < 1e-10 * np.max(np.abs(dec.omega.values)), diff
latent = eddy_io.open_codes(os.path.join(run, "codes.eddyc"), residual=False)
assert np.linalg.norm(latent.omega.values - ds.omega.values) > np.linalg.norm(codes.omega.values - ds.omega.values)
p = eddy_io.open_pipeline(pipeline)
assert p["settings"]["stride"] == 4, p["settings"]
h = p["horizon"]
assert "faded_residual_rel_l2" in h and "persistence_rel_l2" in h and h.proxy_step.values[-1] == 4, h
assert p["metrics"]["status"] == "completed"

# 3. the shared health tool on the run directory
if not os.path.exists(health):
    print("health.py not found at %s: skipped" % health)
    print("ok")
    sys.exit(0)
out = subprocess.run([sys.executable, health, run, "0"], capture_output=True, text=True)
assert out.returncode == 0 and "snapshots=3" in out.stdout, (out.stdout, out.stderr)
print("ok")
