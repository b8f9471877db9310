/** Wall-clock nanoseconds that never go backwards within the process (hrtime anchored to the epoch once). */
const anchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

export function nowNs(): bigint {
  return anchor + process.hrtime.bigint();
}
