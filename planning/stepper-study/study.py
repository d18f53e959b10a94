#!/usr/bin/env python3
"""The stepper study of planning/stepper-choice.md: runs presets with each stepper and Courant number
through `eddy run`, and records the health figures (from the run's own device/CPU health check and,
independently, from its snapshots with shared/tools/health.py's definitions), the cost per unit of
simulated time and the budget closure. Usage:

    study.py EDDY_LAUNCHER OUT.json CASESET [--old]

CASESET: "small" (128²), "large" (256², fewer steppers), "after" (every preset with its own settings
and the default stepper), "before" (the shipped defaults of an older build, given as EDDY_LAUNCHER
with --old: health from snapshots only). "small:cs=0.26" adds flags to every case.
"""
import json, os, subprocess, sys, tempfile, time
import numpy as np

STAGES = {"heun": 2, "ssprk3": 3, "rk4": 4}

def health_from_snapshots(run_dir, t0):
    """shared/tools/health.py's figures, per snapshot with t >= t0 (mean and max)."""
    import h5py
    with h5py.File(os.path.join(run_dir, "snapshots.h5"), "r") as f:
        t = np.asarray(f["time"][:]); w = np.asarray(f["omega"][:])
    n = w.shape[-1]
    k = np.fft.fftfreq(n, 1.0 / n)
    KY, KX = np.meshgrid(k, k, indexing="ij")
    kc = (n - 1) // 3
    kmax = np.maximum(abs(KX), abs(KY)); kk = np.sqrt(KX ** 2 + KY ** 2)
    bands, ratios = [], []
    for ti, wi in zip(t, w):
        if ti < t0:
            continue
        z = abs(np.fft.fft2(wi)) ** 2
        inside = kmax <= n / 3
        bands.append(z[inside & (kmax >= 0.8 * kc)].sum() / z[inside].sum())
        e = np.where(kk > 0, z / np.maximum(kk, 1e-30) ** 2, 0)
        shell = lambda kv: e[(kk >= kv - 0.5) & (kk < kv + 0.5)].sum()
        ratios.append(shell(kc) / max(shell(kc // 2), 1e-300))
    if not bands:
        return None
    return {"snapshots": len(bands), "band_mean": float(np.mean(bands)), "band_max": float(np.max(bands)),
            "ratio_mean": float(np.mean(ratios)), "ratio_max": float(np.max(ratios))}

def run_case(eddy, case, old):
    d = tempfile.mkdtemp(prefix="study-")
    out = os.path.join(d, "run")
    args = [eddy, "run", "--out", out, "--preset", case["preset"], "--n", str(case["n"]), "--end-time", str(case["t"]),
            "--snapshot-every", str(case["snap"]), "--log-metrics", "--no-report"]
    if not old and case["stepper"] != "default":
        args += ["--stepper", case["stepper"], "--cfl", str(case["cfl"])]
        for key in ("cs", "nu", "kp"):
            if key in case:
                args += ["--" + key, str(case[key])]
    t = time.time()
    p = subprocess.run(args, capture_output=True, text=True)
    row = dict(case, exit=p.returncode, wall_s=time.time() - t, stderr=p.stderr.strip()[-600:])
    m = json.load(open(os.path.join(out, "metrics.json"))) if os.path.exists(os.path.join(out, "metrics.json")) else {}
    diag = m.get("diagnostics", {})
    if diag:
        steps = diag["step"][-1]; tend = diag["time"][-1]
        row.update(steps=steps, t_end=tend, sim_s=m["stage_seconds"].get("sim"),
                   ms_per_unit_time=1e3 * m["stage_seconds"].get("sim", float("nan")) / tend if tend else None)
        if not old:
            st = STAGES[m["settings"]["time"]["stepper"]]
            row["rhs_per_unit_time"] = st * steps / tend
            tt = np.asarray(diag["time"]); late = tt >= case["t0"]
            band = np.asarray(diag["band_fraction"]); ratio = np.asarray(diag["cutoff_ratio"])
            row.update(band_max=float(band.max()), ratio_max=float(ratio.max()),
                       band_mean_late=float(band[late].mean()), ratio_mean_late=float(ratio[late].mean()),
                       healthy=m["health"]["healthy"], mean_courant=float(np.mean(diag["courant"][1:])),
                       mean_dt=float(np.mean(diag["dt"][1:])),
                       closure_energy=m["budget_closure"]["energy"]["relative"],
                       closure_enstrophy=m["budget_closure"]["enstrophy"]["relative"],
                       enstrophy_mean_late=float(np.asarray(diag["enstrophy"])[late].mean()))
    if os.path.exists(os.path.join(out, "snapshots.h5")):
        row["snapshots_health"] = health_from_snapshots(out, case["t0"])
    subprocess.run(["rm", "-rf", d])
    return row

def cases(which):
    presets = {  # preset, N, end time, t0 for the late means, snapshot interval in steps
        "small": [("default", 128, 5, 1), ("decaying-256", 128, 5, 1), ("kolmogorov-256", 128, 25, 4)],
        "large": [("decaying-256", 256, 3, 1), ("kolmogorov-256", 256, 25, 4), ("decaying-1024", 256, 2, 0.5)],
        "after": [("default", 128, 5, 1), ("decaying-256", 128, 5, 1), ("kolmogorov-256", 128, 25, 4),
                  ("decaying-256", 256, 3, 1), ("kolmogorov-256", 256, 25, 4), ("decaying-1024", 128, 5, 1),
                  ("decaying-1024", 256, 2, 0.5)],
        "before": [("default", 128, 5, 1), ("decaying-256", 128, 5, 1), ("kolmogorov-256", 128, 25, 4),
                   ("decaying-256", 256, 3, 1), ("kolmogorov-256", 256, 25, 4), ("decaying-1024", 256, 2, 0.5)],
    }[which.split(":")[0]]
    steppers = {"small": [("heun", c) for c in (0.25, 0.5, 1.0, 1.5)] + [("ssprk3", c) for c in (1.0, 1.3, 1.5, 1.7)]
                + [("rk4", c) for c in (1.5, 2.0, 2.4, 2.6, 2.8)],
                "large": [("heun", 1.5), ("ssprk3", 1.5), ("rk4", 2.0), ("rk4", 2.4), ("rk4", 2.6)],
                "before": [("old-default", 0)], "after": [("default", 0)]}[which.split(":")[0]]
    extra = {}
    if ":" in which:  # e.g. small:cs=0.26
        for kv in which.split(":")[1].split(","):
            k, v = kv.split("="); extra[k] = v
    out = []
    for preset, n, t, t0 in presets:
        for stepper, c in steppers:
            out.append(dict(preset=preset, n=n, t=t, t0=t0, snap=100 if n == 128 else 200, stepper=stepper, cfl=c, **extra))
    return out

if __name__ == "__main__":
    eddy, path, which = sys.argv[1], sys.argv[2], sys.argv[3]
    old = "--old" in sys.argv
    rows = []
    for c in cases(which):
        r = run_case(eddy, c, old)
        rows.append(r)
        print(json.dumps({k: r.get(k) for k in ("preset", "n", "stepper", "cfl", "exit", "band_max", "ratio_max",
                                                 "band_mean_late", "rhs_per_unit_time", "snapshots_health")}), flush=True)
        json.dump({"set": which, "launcher": eddy, "rows": rows}, open(path, "w"), indent=1)
