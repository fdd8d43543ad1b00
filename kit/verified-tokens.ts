/**
 * Remembers tokens a verifier accepted, until they expire (or for `forMs` at most): the
 * gateway sends one internal token per request, and its query plan may call the same
 * subgraph several times (a root fetch, then entities), so each service checks a request's
 * token once, not once per call; a widget polls with the same caller token for its whole
 * life, so the gateway checks its signature once a minute, not on every poll. Only
 * acceptances are remembered; every refusal is checked (and audited) afresh.
 */
/** What it needs of a verifier (kit/auth.ts's TokenVerifier; not imported, which would be a cycle). */
type Verdict = { ok: true; caller: { expiresAt: number } } | { ok: false };
interface Verifier<V extends Verdict> {
  verify(authorization: string | undefined): Promise<V>;
}

/** About one minute of requests at a few hundred a second (internal tokens live 60 s). */
const REMEMBERED = 20_000;

export function rememberingAccepted<V extends Verdict>(verifier: Verifier<V>, { max = REMEMBERED, forMs = Infinity }: { max?: number; forMs?: number } = {}): Verifier<V> {
  const accepted = new Map<string, { verdict: V & { ok: true }; until: number }>();
  return {
    async verify(authorization) {
      // By the header as sent: only an accepted one is ever kept, so a missing or
      // malformed header is checked every time.
      const token = authorization?.trim() ?? '';
      const known = accepted.get(token);
      // jose's rule: a token is expired from its `exp` second on.
      if (known && Date.now() < known.until && Math.floor(Date.now() / 1000) < known.verdict.caller.expiresAt) return known.verdict;
      if (known) accepted.delete(token);
      const verdict = await verifier.verify(authorization);
      if (verdict.ok && token !== '') {
        accepted.set(token, { verdict: verdict as V & { ok: true }, until: Date.now() + forMs });
        // Insertion order: the first is the oldest.
        if (accepted.size > max) accepted.delete(accepted.keys().next().value!);
      }
      return verdict;
    },
  };
}
