/**
 * The downtime banner and the per-plant alerts. The banner's state comes from
 * `plantApiStatus` (read at start, on each (re)connection of the live feed and on its own
 * interval) and from the plantDowntime subscription in between, so it appears as soon as
 * the gateway pushes API_DOWN and goes by itself on API_RESTORED.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import plantApiStatus from '../../../schema/operations/plant-api-status.graphql';
import { formatTime } from '../format.ts';
import { useDowntimeFeed, type DowntimeEvent } from '../use-downtime-feed.ts';
import { useOperation } from '../use-operation.ts';

const REFRESH_MS = 30_000;
const MAX_ALERTS = 8;

interface StatusAnswer {
  plantApiStatus: { up: boolean; since: string; banner: { message: string; since: string } | null };
}

/** Since when the Plant API is down; undefined while it is up. */
type Outage = { since: string } | undefined;

export function DowntimeBanner({ token, onPlantChange }: { token: string; onPlantChange: () => void }) {
  const status = useOperation<StatusAnswer>(plantApiStatus, {}, { token, refreshMs: REFRESH_MS, required: (d) => d.plantApiStatus });
  const [outage, setOutage] = useState<Outage>();
  const [alerts, setAlerts] = useState<DowntimeEvent[]>([]);
  // A pushed event is newer than any status read that started before it.
  const lastEventAt = useRef(0);
  const { refresh } = status;

  useEffect(() => {
    const answer = status.data?.plantApiStatus;
    if (!answer || !status.askedAt || status.askedAt.getTime() < lastEventAt.current) return;
    setOutage(answer.up ? undefined : { since: answer.banner?.since ?? answer.since });
  }, [status.data, status.askedAt]);

  const onEvent = useCallback(
    (event: DowntimeEvent) => {
      lastEventAt.current = Date.now();
      if (event.kind === 'API_DOWN') setOutage({ since: event.at });
      else if (event.kind === 'API_RESTORED') setOutage(undefined);
      else setAlerts((previous) => [event, ...previous].slice(0, MAX_ALERTS));
      // Whatever changed, the plants shown changed with it (stale, live again, a new status).
      onPlantChange();
    },
    [onPlantChange],
  );
  const feed = useDowntimeFeed(token, { onEvent, onConnected: refresh });

  return (
    <div className="downtime">
      <p className={`feed-status feed-${feed}`} data-feed={feed}>
        {feed === 'live' ? '● live alerts' : feed === 'connecting' ? '○ connecting to alerts…' : '○ alerts reconnecting…'}
      </p>
      {outage ? (
        <div className="banner" role="alert" data-banner="plant-api-down">
          <strong>The Plant API is down.</strong> Plant data may be out of date since {formatTime(outage.since)}.
        </div>
      ) : null}
      {alerts.length > 0 ? (
        <ul className="plant-alerts" aria-label="Plant alerts">
          {alerts.map((alert) => (
            <li key={`${alert.at}-${alert.plant?.id}-${alert.kind}`} className={`plant-alert alert-${alert.kind.toLowerCase()}`} data-alert={alert.kind}>
              <span>{formatTime(alert.at)}</span> {alert.plant ? `${alert.plant.id}: ` : ''}{alert.message}
              <button type="button" aria-label="Dismiss" onClick={() => setAlerts((previous) => previous.filter((a) => a !== alert))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
