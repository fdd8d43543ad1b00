/** Opaque list cursors: base64url of `seq:<n>`, so clients cannot rely on their shape. */

export function encodeCursor(seq: string | number | bigint): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** The seq inside a cursor; a RangeError (bad input) for anything not made by encodeCursor. */
export function decodeCursor(cursor: string): string {
  const match = /^seq:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw new RangeError(`Invalid audit cursor ${JSON.stringify(cursor)}`);
  return match[1];
}
