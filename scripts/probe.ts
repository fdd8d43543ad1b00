/**
 * A container's health check: exits 0 when every URL given answers 200 within 2 s, 1
 * otherwise (`node scripts/probe.ts http://127.0.0.1:4001/health http://127.0.0.1:4001/ready`).
 * The images have no curl; Node is there anyway.
 */
const urls = process.argv.slice(2);
const answered = await Promise.all(
  urls.map((url) =>
    fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200,
      () => false,
    ),
  ),
);
process.exit(urls.length > 0 && answered.every(Boolean) ? 0 : 1);
