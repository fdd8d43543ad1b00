/**
 * Deterministic seed data for the Plant API sandbox: the same 120 plants on every start, and
 * hourly readings whose values depend only on the plant and the hour, so any given hour
 * always reads the same.
 */
import type { Plant, PlantStatus, Reading } from './wire-format.ts';

export const PLANT_COUNT = 120;
/** How far back readings go. */
export const READINGS_WINDOW_HOURS = 7 * 24;

const HOUR_MS = 60 * 60 * 1000;
/** Seed plants were last touched around this fixed instant, so updated_at never drifts. */
const SEED_CLOCK_MS = Date.parse('2025-01-06T08:00:00.000Z');

const SITES = ['Rotterdam', 'Tarragona', 'Antwerp', 'Gdansk', 'Porto', 'Aarhus', 'Lyon', 'Bremen', 'Turku', 'Bilbao'];
const KINDS = ['Solar Farm', 'Wind Park', 'Hydro Station', 'Gas Turbine', 'Battery Store', 'Biomass Plant'];
const FIRST_NAMES = ['jane', 'omar', 'li', 'maria', 'kofi', 'anna', 'ravi', 'sofia', 'tomas', 'aiko', 'lucas', 'nadia'];
const LAST_NAMES = ['doe', 'haddad', 'chen', 'garcia', 'mensah', 'novak', 'patel', 'rossi', 'berg', 'tanaka', 'silva'];

/** The 120 seed plants, freshly built on each call so callers may mutate them. */
export function seedPlants(): Plant[] {
  return Array.from({ length: PLANT_COUNT }, (_, index) => seedPlant(index + 1));
}

function seedPlant(n: number): Plant {
  const site = pick(SITES, n);
  const first = pick(FIRST_NAMES, n * 7);
  const last = pick(LAST_NAMES, n * 5);
  return {
    id: plantId(n),
    name: `${site} ${pick(KINDS, n * 3)} ${Math.ceil(n / SITES.length)}`,
    site,
    status: seedStatus(n),
    capacity_mw: round(20 + unitNoise('capacity', n) * 480, 1),
    operator: {
      name: `${capitalise(first)} ${capitalise(last)}`,
      email: `${first}.${last}@example.com`,
      phone: `+1-555-010-${String(n).padStart(4, '0')}`,
    },
    updated_at: new Date(SEED_CLOCK_MS - n * 37 * 60 * 1000).toISOString(),
  };
}

/** Mostly ONLINE; a fixed scattering of the other statuses. */
function seedStatus(n: number): PlantStatus {
  if (n % 23 === 0) return 'MAINTENANCE';
  if (n % 17 === 0) return 'OFFLINE';
  if (n % 9 === 0) return 'DEGRADED';
  return 'ONLINE';
}

export function plantId(n: number): string {
  return `plant-${String(n).padStart(3, '0')}`;
}

/**
 * Hourly readings of one plant on the whole hours within [from, to], limited to the last
 * READINGS_WINDOW_HOURS before `now`, oldest first.
 */
export function readingsFor(plant: Pick<Plant, 'id' | 'capacity_mw'>, from: Date, to: Date, now = new Date()): Reading[] {
  const latest = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const earliest = latest - (READINGS_WINDOW_HOURS - 1) * HOUR_MS;
  const start = Math.max(earliest, Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const end = Math.min(latest, to.getTime());
  const readings: Reading[] = [];
  for (let at = start; at <= end; at += HOUR_MS) readings.push(readingAt(plant, at));
  return readings;
}

function readingAt(plant: Pick<Plant, 'id' | 'capacity_mw'>, atMs: number): Reading {
  const hourOfDay = new Date(atMs).getUTCHours();
  // A daily swell peaking mid-afternoon plus per-hour jitter.
  const daily = 0.5 + 0.3 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
  const load = Math.min(1, Math.max(0, daily + (unitNoise(plant.id, atMs) - 0.5) * 0.2));
  return {
    at: new Date(atMs).toISOString(),
    output_mw: round(plant.capacity_mw * load, 2),
    temperature_c: round(18 + load * 30 + unitNoise('temperature', plant.id, atMs) * 6, 1),
  };
}

/** A stable number in [0, 1) from its inputs (FNV-1a), in place of a seeded random source. */
function unitNoise(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length] as T;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
