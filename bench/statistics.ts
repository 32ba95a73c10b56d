// Summaries of timing samples the benchmarks print: the middle value and the p90, both taken
// from the samples themselves (no interpolation), so a figure is always one that was measured.

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}
