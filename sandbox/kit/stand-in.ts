/**
 * A sandbox that stands in for a subgraph's upstream, declared in the sandbox's folder:
 * started from the subgraph's own settings (so keys, secrets and ports always agree), and
 * the settings that point the subgraph at it. The sandbox registry lists them; `npm start`,
 * the tests and each sandbox's main.ts start them from there.
 */
import type { Env } from '../../config/read-env.ts';
import type { SubgraphSettings } from '../../config/subgraph-settings.ts';
import type { Faults, RunningSandbox } from './sandbox-server.ts';

export interface StandInOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  faults?: Partial<Faults> | undefined;
  /** Options of this sandbox only (the SendGrid sandbox's rate-limit window in tests). */
  extra?: Readonly<Record<string, unknown>> | undefined;
}

export interface StandIn<TSettings = any, TRunning extends RunningSandbox = RunningSandbox> {
  /** Its folder under sandbox/ (with its main.ts), and its service name in the cluster and compose file. */
  readonly name: string;
  /** How `npm start` names it. */
  readonly title: string;
  /** The variable its port is read from (by its subgraph's settings, whose default URL points there). */
  readonly portSetting: string;
  /** The settings of the subgraph whose upstream it stands in for. */
  readonly subgraph: SubgraphSettings<TSettings>;
  /** Its port unless told otherwise (one of the subgraph's settings, which its default URL uses). */
  port(config: TSettings): number;
  start(config: TSettings, options: StandInOptions): Promise<TRunning>;
  /** The settings that point the subgraph at the running sandbox. */
  pointAt(running: TRunning): Env;
  /** Called once the subgraph listens (the Plant API posts its webhooks to it). */
  connect?(running: TRunning, subgraphUrl: string): void;
}

/** Declares a stand-in (typed by its subgraph's settings and what it runs). */
export const defineStandIn = <TSettings, TRunning extends RunningSandbox>(standIn: StandIn<TSettings, TRunning>): StandIn<TSettings, TRunning> => standIn;

/** The faults option, only when there are some (the servers' options are exact). */
export const faultsOf = (options: StandInOptions): { faults?: Partial<Faults> } => (options.faults ? { faults: options.faults } : {});
