#!/usr/bin/python3
"""Reference spike trains of the eight AdEx firing patterns of Naud et al. (2008), Table 1, on Brian2.

Each pattern: one EIF neuron with adaptation (PyNN's EIF_cond_exp_isfa_ista without synaptic input),
Δ_T = 2 mV, spike cut at V_spike = V_T + 5 Δ_T = −40 mV (PyNN's v_spike default; past it the exponential
runs away within tens of µs, so the cut moves spike times by less than that, and no step's overshoot feeds the
adaptation), reset to V_r, w += b; a constant current step I from t = 0 for
500 ms (the neuron starts at rest: V = E_L, w = 0). Integrated with Brian2 (cython target) by 'rk4' at
dt = 2 µs, far below every time constant. Converged: --dt 1e-3 gives the same spike counts and times within a
few µs.

Writes test-fixtures/references/adex_naud_patterns.json (or --out) with the parameters and spike times (ms).

  /usr/bin/python3 tools/references/adex_naud_patterns.py [--dt 0.001] [--out FILE]
Needs Debian's python3-brian (apt-get install -y python3-brian).
"""
import argparse
import json
import os

import brian2 as b2

# Naud, Marcille, Clopath, Gerstner (2008), Biol. Cybern. 99:335, Table 1 (pF, nS, mV, ms, pA).
PATTERNS = {
    "tonic":                  dict(C=200, gL=10, EL=-70, VT=-50, a=2,   tauW=30,  b=0,   Vr=-58, I=500),
    "adapting":               dict(C=200, gL=12, EL=-70, VT=-50, a=2,   tauW=300, b=60,  Vr=-58, I=500),
    "initialBurst":           dict(C=130, gL=18, EL=-58, VT=-50, a=4,   tauW=150, b=120, Vr=-50, I=400),
    "regularBursting":        dict(C=200, gL=10, EL=-58, VT=-50, a=2,   tauW=120, b=100, Vr=-46, I=210),
    "delayedAccelerating":    dict(C=200, gL=12, EL=-70, VT=-50, a=-10, tauW=300, b=0,   Vr=-58, I=300),
    "delayedRegularBursting": dict(C=100, gL=10, EL=-65, VT=-50, a=-10, tauW=90,  b=30,  Vr=-47, I=110),
    "transient":              dict(C=100, gL=10, EL=-65, VT=-50, a=10,  tauW=90,  b=100, Vr=-47, I=180),
    "irregular":              dict(C=100, gL=12, EL=-60, VT=-50, a=-11, tauW=130, b=30,  Vr=-48, I=160),
}
# The irregular set is chaotic: 5 % more b (30 → 31.4 pA) turns it into periodic doublets. 31.4 pA is the b
# pynn realises for it on the chip (b's bias has 0.05 nA steps: 30 pA × 29.7 × f 0.556 × C ratio 1.06 = 10.5 LSB
# → 11 LSB), so the exact model at that b is given too, as "irregularAtChipB".
VARIANTS = {"irregularAtChipB": dict(PATTERNS["irregular"], b=31.4)}
DELTA_T_MV = 2.0
V_SPIKE_MV = -40.0
DURATION_MS = 500.0


def simulate(p, dt_ms):
    b2.start_scope()
    b2.prefs.codegen.target = "cython"
    b2.defaultclock.dt = dt_ms * b2.ms
    eqs = """
    dv/dt = (-gL*(v - EL) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I) / C : volt
    dw/dt = (a*(v - EL) - w) / tauW : amp
    """
    ns = dict(
        C=p["C"] * b2.pF, gL=p["gL"] * b2.nS, EL=p["EL"] * b2.mV, VT=p["VT"] * b2.mV, a=p["a"] * b2.nS,
        tauW=p["tauW"] * b2.ms, b=p["b"] * b2.pA, Vr=p["Vr"] * b2.mV, I=p["I"] * b2.pA,
        DeltaT=DELTA_T_MV * b2.mV, Vspike=V_SPIKE_MV * b2.mV,
    )
    group = b2.NeuronGroup(1, eqs, threshold="v > Vspike", reset="v = Vr; w += b", method="rk4", namespace=ns)
    group.v = ns["EL"]
    group.w = 0 * b2.pA
    monitor = b2.SpikeMonitor(group)
    b2.run(DURATION_MS * b2.ms)
    return [float(t / b2.ms) for t in monitor.t]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--dt", type=float, default=0.002, help="integration step, ms")
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "test-fixtures", "references", "adex_naud_patterns.json"))
    args = parser.parse_args()
    result = {
        "description": "AdEx firing patterns of Naud et al. 2008 (Table 1) on Brian2 " + b2.__version__
        + f", rk4 at dt = {args.dt} ms, 500 ms current step from rest; spike times in ms (tools/references/adex_naud_patterns.py)",
        "delta_T_mV": DELTA_T_MV,
        "v_spike_mV": V_SPIKE_MV,
        "duration_ms": DURATION_MS,
        "dt_ms": args.dt,
        "patterns": {name: {"parameters": p, "spike_times_ms": [round(t, 6) for t in simulate(p, args.dt)]} for name, p in PATTERNS.items()},
        "variants": {name: {"parameters": p, "spike_times_ms": [round(t, 6) for t in simulate(p, args.dt)]} for name, p in VARIANTS.items()},
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for name, entry in result["patterns"].items():
        print(name, len(entry["spike_times_ms"]), entry["spike_times_ms"][:6])


if __name__ == "__main__":
    main()
