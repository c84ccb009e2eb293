/** What a benchmark measured: our rate against a baseline measured in the same run. */
export interface BenchMeasurement {
  readonly name: string;
  readonly rows: number;
  readonly seconds: number;
  /** What the baseline did, e.g. "COPY (SELECT …) TO STDOUT". */
  readonly baseline: string;
  readonly baselineSeconds: number;
  /** Anything else worth reporting (figures at other sizes, the no-op time, …). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The JSON line every benchmark prints last. */
export interface BenchReport {
  readonly name: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rows_per_s: number;
  readonly baseline: string;
  readonly baseline_rows_per_s: number;
  readonly ratio: number;
  readonly peak_rss_mb: number;
  readonly [extra: string]: unknown;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** The peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/**
 * Builds the report line: rates, their ratio (machines here vary by ±15–35% between runs, so
 * the ratio to a baseline in the same run is the figure to compare) and peak RSS.
 */
export function benchReport(measurement: BenchMeasurement): BenchReport {
  const rate = measurement.rows / measurement.seconds;
  const baselineRate = measurement.rows / measurement.baselineSeconds;
  return {
    name: measurement.name,
    rows: measurement.rows,
    seconds: round(measurement.seconds),
    rows_per_s: Math.round(rate),
    baseline: measurement.baseline,
    baseline_rows_per_s: Math.round(baselineRate),
    ratio: round(rate / baselineRate),
    peak_rss_mb: peakRssMb(),
    ...measurement.extra,
  };
}
