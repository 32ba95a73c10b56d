/**
 * How the panel prints numbers: four significant digits, exponents only for very small or very
 * large magnitudes, and plain ASCII so that copied values paste into Python as they are.
 */

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(3).replace(/\.?0+e/, 'e');
  // toPrecision keeps 4 significant digits; Number() drops the trailing zeros it pads with.
  return String(Number(value.toPrecision(4)));
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "1 set", "32 sets". */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/** "8×16×32×32". */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/** "low … high" of `values`, or the single value when they are all equal. */
export function formatExtent(values: ArrayLike<number>): string {
  let low = Infinity;
  let high = -Infinity;
  for (let index = 0; index < values.length; index++) {
    if (values[index] < low) low = values[index];
    if (values[index] > high) high = values[index];
  }
  return low === high ? formatNumber(low) : `${formatNumber(low)} … ${formatNumber(high)}`;
}
