/**
 * Remembers tokens a verifier accepted, until they expire (or for `forMs` at most): the
 * gateway sends one internal token per request, and its query plan may call the same
 * subgraph several times (a root fetch, then entities), so each service checks a request's
 * token once, not once per call; a widget polls with the same caller token for its whole
 * life, so the gateway checks its signature once a minute, not on every poll. Only
 * acceptances are remembered; every refusal is checked (and audited) afresh.
 */
import { bearerToken, type TokenVerdict, type TokenVerifier } from './auth.ts';

/** About one minute of requests at a few hundred a second (internal tokens live 60 s). */
const REMEMBERED = 20_000;

export function rememberingAccepted(verifier: TokenVerifier, { max = REMEMBERED, forMs = Infinity }: { max?: number; forMs?: number } = {}): TokenVerifier {
  const accepted = new Map<string, { verdict: TokenVerdict & { ok: true }; until: number }>();
  return {
    async verify(authorization) {
      const token = bearerToken(authorization);
      const known = accepted.get(token);
      // jose's rule: a token is expired from its `exp` second on.
      if (known && Date.now() < known.until && Math.floor(Date.now() / 1000) < known.verdict.caller.expiresAt) return known.verdict;
      if (known) accepted.delete(token);
      const verdict = await verifier.verify(authorization);
      if (verdict.ok && token !== 'missing' && token !== 'malformed') {
        accepted.set(token, { verdict, until: Date.now() + forMs });
        // Insertion order: the first is the oldest.
        if (accepted.size > max) accepted.delete(accepted.keys().next().value!);
      }
      return verdict;
    },
  };
}
