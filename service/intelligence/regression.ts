// Ordinary least squares y = a + b x with the slope's standard error, two-sided p-value (H0: b = 0,
// t = b / SE with n - 2 degrees of freedom) and 95% confidence interval: a trend is reported with how
// sure we can be of it, not as a bare slope.
import { criticalT, twoSidedP } from "./student-t.js";

export interface Regression {
  n: number;
  slope: number;
  intercept: number;
  rSquared: number;
  /** Null below 3 points or when every x is equal. */
  standardError: number | null;
  pValue: number | null;
  ci95: [number, number] | null;
}

export function linearRegression(xs: readonly number[], ys: readonly number[]): Regression {
  const n = Math.min(xs.length, ys.length);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i += 1) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = n > 0 ? sx / n : 0;
  const my = n > 0 ? sy / n : 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const residual = Math.max(0, syy - slope * sxy);
  const rSquared = syy > 0 ? 1 - residual / syy : 0;
  if (n < 3 || sxx === 0) return { n, slope, intercept, rSquared, standardError: null, pValue: null, ci95: null };
  const df = n - 2;
  const standardError = Math.sqrt(residual / df / sxx);
  if (standardError === 0) return { n, slope, intercept, rSquared, standardError, pValue: slope === 0 ? 1 : 0, ci95: [slope, slope] };
  const margin = criticalT(0.05, df) * standardError;
  return { n, slope, intercept, rSquared, standardError, pValue: twoSidedP(slope / standardError, df), ci95: [slope - margin, slope + margin] };
}
