/**
 * The frame every widget shares, with the same four states: loading (nothing yet), error
 * (nothing to show and why), empty (an answer with nothing in it) and stale (the last good
 * answer, with the time it dates from). `data-state` names the state for tests.
 */
import type { ReactNode } from 'react';
import type { OperationState } from './use-operation.ts';
import { formatInterval, formatTime } from './format.ts';

export type WidgetState = 'loading' | 'error' | 'empty' | 'stale' | 'ready';

export interface WidgetProps<T> {
  readonly id: string;
  readonly title: string;
  readonly state: OperationState<T>;
  /** Undefined for on-demand widgets. */
  readonly refreshMs?: number;
  readonly isEmpty: (data: T) => boolean;
  readonly emptyText: string;
  /** What an on-demand widget says before it is asked anything. */
  readonly idleText?: string;
  /** The server says the data may be out of date (an upstream is down): since when. */
  readonly staleSince?: (data: T) => string | undefined;
  readonly controls?: ReactNode;
  readonly children: (data: T) => ReactNode;
}

export function Widget<T>({ id, title, state, refreshMs, isEmpty, emptyText, idleText, staleSince, controls, children }: WidgetProps<T>) {
  const { data, failure, status } = state;
  const serverStale = data !== undefined ? staleSince?.(data) : undefined;
  const shown: WidgetState =
    data === undefined ? (status === 'failed' ? 'error' : status === 'idle' ? 'empty' : 'loading') : status === 'failed' || serverStale ? 'stale' : isEmpty(data) ? 'empty' : 'ready';
  const since = serverStale ?? (state.updatedAt ? formatTime(state.updatedAt) : '');

  return (
    <section className={`widget widget--${shown}`} data-widget={id} data-state={shown} aria-busy={status === 'loading'}>
      <header className="widget-header">
        <h2>{title}</h2>
        <span className="widget-meta">
          {refreshMs ? `refreshes every ${formatInterval(refreshMs)}` : 'on demand'}
          {state.updatedAt ? ` · updated ${formatTime(state.updatedAt)}` : ''}
        </span>
        <button type="button" className="widget-refresh" onClick={state.refresh} title="Refresh now">
          ↻
        </button>
      </header>
      {controls ? <div className="widget-controls">{controls}</div> : null}
      {shown === 'stale' ? (
        <p className="widget-stale" role="status">
          Data may be out of date since {since}
          {failure ? ` (${describe(failure)})` : ''}.
        </p>
      ) : null}
      {shown === 'loading' ? <p className="widget-loading">Loading…</p> : null}
      {shown === 'error' && failure ? (
        <div className="widget-error" role="alert">
          <p>{describe(failure)}</p>
          <button type="button" onClick={state.refresh}>
            Try again
          </button>
        </div>
      ) : null}
      {shown === 'empty' ? <p className="widget-empty">{data === undefined ? (idleText ?? emptyText) : emptyText}</p> : null}
      {data !== undefined && shown !== 'empty' ? <div className="widget-body">{children(data)}</div> : null}
    </section>
  );
}

function describe(failure: { message: string; code: string }): string {
  if (failure.code === 'FORBIDDEN') return 'Your role may not see this.';
  if (failure.code === 'UNAUTHENTICATED') return 'Your sign-in has expired: sign in again.';
  return `${failure.message} [${failure.code}]`;
}
