/** Time-range bounds given as ISO text or Date, normalised to ISO; bad input is a RangeError. */
export function toInstant(value: string | Date, name: string): string {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`${name} is not a valid instant: ${String(value)}`);
  return new Date(time).toISOString();
}
