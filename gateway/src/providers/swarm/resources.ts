import { ValidationError } from '../../errors';

const MEMORY_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, ki: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, ti: 1024 ** 4, tib: 1024 ** 4,
};

/** Parses a memory size the way Docker's RAMInBytes does (`128m`, `1g`, `5Mi`, binary multiples); junk is a ValidationError. */
export function parseMemory(raw: string, field = 'memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = m ? MEMORY_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ValidationError(`${field}: "${raw}" is not a memory size (use e.g. 128m, 1g, 5Mi)`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes <= 0) throw new ValidationError(`${field}: "${raw}" must be more than 0`);
  return bytes;
}

/** Parses CPUs as decimals (`0.5`, `2`) or Kubernetes millicores (`500m`) into NanoCPUs; junk is a ValidationError. */
export function parseCpu(raw: string, field = 'cpu'): number {
  const milli = /^\s*(\d+)m\s*$/.exec(raw);
  const dec = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
  let nano: number;
  if (milli) nano = Number(milli[1]) * 1e6;
  else if (dec) nano = Math.round(Number(dec[1]) * 1e9);
  else throw new ValidationError(`${field}: "${raw}" is not a CPU amount (use e.g. 0.5, 2 or 500m)`);
  if (nano < 1e6) throw new ValidationError(`${field}: "${raw}" is below the minimum of 1m (0.001 CPU)`);
  return nano;
}

/** Renders bytes back as the shortest exact binary size (`134217728` → `128m`). */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Renders NanoCPUs back as a decimal CPU count (`500000000` → `0.5`). */
export function formatCpu(nano: number): string {
  return String(nano / 1e9);
}
