/** The README documents every error code, every setting the code reads and every metric. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../kit/errors.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const settingsSource = readFileSync(new URL('../config/settings.ts', import.meta.url), 'utf8');
const metricsSource = readFileSync(new URL('../kit/service-metrics.ts', import.meta.url), 'utf8');

describe('README', () => {
  it.each(Object.values(ErrorCode))('documents the error code %s', (code) => {
    expect(readme).toContain(`\`${code}\``);
  });

  const names = [...settingsSource.matchAll(/env\.\w+\('([A-Z0-9_]+)'/g)].map((match) => match[1]!);
  it.each([...new Set(names)])('documents the setting %s', (name) => {
    expect(readme).toContain(name);
  });

  const policySuffixes = [...settingsSource.matchAll(/`\$\{prefix\}(_[A-Z_]+)`/g)].map((match) => match[1]!);
  it.each(policySuffixes)('documents the per-API setting <API>%s', (suffix) => {
    expect(readme).toContain(`<API>${suffix}`);
  });

  const metricNames = [...metricsSource.matchAll(/(?:name: |counter\(|gauge\()'([a-z_]+)'/g)].map((match) => match[1]!);
  it('finds the metrics to check', () => expect(metricNames.length).toBeGreaterThan(15));
  it.each([...new Set(metricNames)])('documents the metric %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
});
