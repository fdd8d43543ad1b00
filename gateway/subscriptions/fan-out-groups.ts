/**
 * One federated query per group of subscribers an alert reaches with the same selection,
 * variables and roles (so the same permissions and masking), instead of one per subscriber.
 * Each subscriber is still admitted on its own first (its rate limit counts the alert), and
 * the group's query answers for all its members: the subgraphs audit it as each of them
 * (`Caller.alsoFor`, kit/request-audit.ts). A group gathers the subscribers that reach it
 * before the next turn of the event loop (one alert reaches every subscriber within the
 * same turn) and whose admission is settled; past `maxSizePerQuery`, another group starts.
 */
import type { RunForAlert, RunQuery } from './federated-selection.ts';

export interface FanOutOptions<TContext> {
  run: RunQuery<TContext>;
  /** Counts the subscriber's request (its rate limit); throwing leaves it out, with that error. */
  admit(context: TContext): Promise<unknown>;
  /** Subscribers with equal keys may share an answer; undefined: this one runs its own. */
  shareKey(context: TContext): string | undefined;
  /** The context one query runs with for these subscribers (in the order they were admitted). */
  together(contexts: readonly TContext[]): TContext;
  /** What a subscriber adds to the group's query (its name and request id in the internal token), in bytes. */
  size(context: TContext): number;
  /**
   * Most bytes of subscribers one query answers for: the internal token is a header, and
   * Node refuses headers past 16 KB (this much JSON is about 8 KB of token).
   * @default 6_000
   */
  maxSizePerQuery?: number;
}

type Answer = Awaited<ReturnType<RunQuery<unknown>>>;

interface Group<TContext> {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** Where it is listed while open. */
  readonly listed: Map<string, Group<TContext>>;
  readonly key: string;
  readonly admitted: TContext[];
  /** Bytes of the subscribers that joined. */
  size: number;
  /** Members whose admission is still out. */
  settling: number;
  /** The turn of the event loop it was opened in is over. */
  gathered: boolean;
  started: boolean;
  readonly answer: PromiseWithResolvers<Answer>;
}

export function fanOutGroups<TContext>(options: FanOutOptions<TContext>): RunForAlert<TContext> {
  const { run, admit, shareKey, together, size, maxSizePerQuery = 6_000 } = options;
  // Open groups per alert, by what they share; a group leaves once its query starts.
  const open = new WeakMap<object, Map<string, Group<TContext>>>();

  const launch = (group: Group<TContext>) => {
    if (group.started || !group.gathered || group.settling > 0) return;
    group.started = true;
    if (group.listed.get(group.key) === group) group.listed.delete(group.key);
    // Everyone was refused: nobody waits for this answer.
    if (group.admitted.length === 0) return group.answer.resolve({ errors: [] });
    run(group.query, group.variables, together(group.admitted)).then(group.answer.resolve, group.answer.reject);
  };

  const groupFor = (occasion: object, query: string, variables: Record<string, unknown>, share: string, adds: number) => {
    const key = `${share}\n${query}\n${JSON.stringify(variables)}`;
    let listed = open.get(occasion);
    if (!listed) open.set(occasion, (listed = new Map()));
    const current = listed.get(key);
    if (current && !current.started && (current.size === 0 || current.size + adds <= maxSizePerQuery)) return current;
    const group: Group<TContext> = { query, variables, listed, key, admitted: [], size: 0, settling: 0, gathered: false, started: false, answer: Promise.withResolvers<Answer>() };
    listed.set(key, group);
    setImmediate(() => {
      group.gathered = true;
      launch(group);
    });
    return group;
  };

  return async (occasion, query, variables, context) => {
    const share = shareKey(context);
    if (share === undefined) {
      await admit(context);
      return run(query, variables, context);
    }
    const adds = size(context);
    const group = groupFor(occasion, query, variables, share, adds);
    group.size += adds;
    group.settling += 1;
    try {
      await admit(context);
      group.admitted.push(context);
    } finally {
      group.settling -= 1;
      launch(group);
    }
    return group.answer.promise;
  };
}
