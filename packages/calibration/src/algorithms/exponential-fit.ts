import { AlgorithmError, TooFewSamplesError } from '../errors.js';

/** `v(t) = offset + amplitude · exp(−(t − t₀) / tau)`, t₀ the first sample time. */
export interface ExponentialFit {
  readonly tau: number;
  readonly amplitude: number;
  readonly offset: number;
  /** Root mean square of the residuals. */
  readonly rms: number;
}

export interface ExponentialFitOptions {
  /** Fit limits of τ in the unit of `t` (hardware.md §8.3: τ_mem 0.1–2000 µs, τ_syn 0.1–100 µs). */
  readonly tauMin: number;
  readonly tauMax: number;
  /** The asymptote when it is known (e.g. the measured leak potential); fitted otherwise. */
  readonly offset?: number;
}

const GRID_POINTS = 48;
const REFINE_ITERATIONS = 40;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Least-squares fit of an exponential decay (or rise) towards an asymptote, by variable projection: for a
 * given τ the model is linear in (offset, amplitude), solved in closed form; τ itself is found on a log grid
 * between the fit limits and refined by golden-section search around the best grid point. No start values,
 * no divergence, deterministic: suited to fitting 512 traces without supervision. A τ on a fit limit means
 * the trace did not decay within the window (the caller treats it as a failed measurement).
 */
export function fitExponential(t: ArrayLike<number>, v: ArrayLike<number>, options: ExponentialFitOptions): ExponentialFit {
  const n = t.length;
  if (v.length !== n) throw new AlgorithmError(`fitExponential: ${n} times but ${v.length} values`);
  const needed = options.offset === undefined ? 3 : 2;
  if (n < needed) throw new TooFewSamplesError('exponential fit', n, needed);
  const { tauMin, tauMax } = options;
  if (!(tauMin > 0 && tauMax > tauMin)) throw new AlgorithmError(`fitExponential: fit limits ${tauMin}..${tauMax} must satisfy 0 < tauMin < tauMax`);
  const t0 = t[0]!;
  // The basis of one τ, computed once for the normal equations and the residuals (the fit's hot loop).
  const basis = new Float64Array(n);

  const solve = (tau: number): ExponentialFit => {
    // Normal equations of v ≈ c + a·e, e = exp(−(t − t0)/τ); with a known offset only a.
    let se = 0;
    let see = 0;
    let sv = 0;
    let sev = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(-(t[i]! - t0) / tau);
      basis[i] = e;
      se += e;
      see += e * e;
      sv += v[i]!;
      sev += e * v[i]!;
    }
    let c: number;
    let a: number;
    if (options.offset !== undefined) {
      c = options.offset;
      a = see > 0 ? (sev - c * se) / see : 0;
    } else {
      const det = n * see - se * se;
      if (!(Math.abs(det) > 1e-12 * n * see)) {
        c = sv / n;
        a = 0;
      } else {
        a = (n * sev - se * sv) / det;
        c = (sv - a * se) / n;
      }
    }
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (v[i]! - c - a * basis[i]!) ** 2;
    return { tau, amplitude: a, offset: c, rms: Math.sqrt(sse / n) };
  };

  const lo = Math.log(tauMin);
  const hi = Math.log(tauMax);
  let bestIndex = 0;
  let best = solve(tauMin);
  for (let k = 1; k < GRID_POINTS; k++) {
    const fit = solve(Math.exp(lo + ((hi - lo) * k) / (GRID_POINTS - 1)));
    if (fit.rms < best.rms) {
      best = fit;
      bestIndex = k;
    }
  }
  let a = lo + ((hi - lo) * Math.max(0, bestIndex - 1)) / (GRID_POINTS - 1);
  let b = lo + ((hi - lo) * Math.min(GRID_POINTS - 1, bestIndex + 1)) / (GRID_POINTS - 1);
  let x1 = b - GOLDEN * (b - a);
  let x2 = a + GOLDEN * (b - a);
  let f1 = solve(Math.exp(x1));
  let f2 = solve(Math.exp(x2));
  for (let k = 0; k < REFINE_ITERATIONS; k++) {
    if (f1.rms <= f2.rms) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - GOLDEN * (b - a);
      f1 = solve(Math.exp(x1));
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + GOLDEN * (b - a);
      f2 = solve(Math.exp(x2));
    }
  }
  const refined = f1.rms <= f2.rms ? f1 : f2;
  return refined.rms <= best.rms ? refined : best;
}
