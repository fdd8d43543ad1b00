/**
 * The page a browser gets at the gateway's URL outside production: Apollo Sandbox where its
 * script loads from Apollo's CDN, and the project's own explorer (/explorer, GraphiQL built
 * from npm) where it cannot (no internet, a locked-down network). The HTML carries no
 * token: the page asks /web/dev-token for one, which answers only where the
 * BROWSER_DEV_TOKENS policy allows, with Cache-Control: no-store.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { CONFIG_PATH } from './web/config-route.ts';
import { DEV_TOKEN_PATH } from './web/dev-token-route.ts';
import { EXPLORER_PATH } from './web/static-pages.ts';

const SANDBOX_SCRIPT = 'https://embeddable-sandbox.cdn.apollographql.com/v2/embeddable-sandbox.umd.production.min.js';
const LANDING_ROLE = 'ANALYST';
/** How long the Sandbox script may take before the local explorer is used instead. */
const SANDBOX_LOAD_TIMEOUT_MS = 8000;

export function sandboxLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: LANDING_HTML };
        },
      };
    },
  };
}

const settings = JSON.stringify({
  sandboxScript: SANDBOX_SCRIPT,
  explorer: EXPLORER_PATH,
  config: CONFIG_PATH,
  devToken: DEV_TOKEN_PATH,
  role: LANDING_ROLE,
  timeoutMs: SANDBOX_LOAD_TIMEOUT_MS,
});

const LANDING_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Federated API</title>
<style>
  body { margin: 0; font: 15px system-ui, sans-serif; }
  #loading { padding: 24px; }
  #sandbox { position: absolute; inset: 0; }
  #sandbox iframe { width: 100%; height: 100%; border: none; background: white; }
</style>
</head>
<body>
<p id="loading">Loading Apollo Sandbox… Offline? <a href="${EXPLORER_PATH}">Open the local explorer</a>.</p>
<div id="sandbox"></div>
<script>
(function () {
  var page = ${settings};
  var done = false;
  function useLocalExplorer() {
    if (done) return;
    done = true;
    location.replace(page.explorer);
  }
  function devHeaders() {
    return fetch(page.config, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (config) {
        if (!config.devTokens) return {};
        return fetch(page.devToken, { method: 'POST', cache: 'no-store', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: page.role }) })
          .then(function (r) { return r.ok ? r.json() : {}; })
          .then(function (t) { return t.access_token ? { Authorization: 'Bearer ' + t.access_token } : {}; });
      })
      .catch(function () { return {}; });
  }
  var timer = setTimeout(useLocalExplorer, page.timeoutMs);
  var script = document.createElement('script');
  script.src = page.sandboxScript;
  script.onerror = function () { clearTimeout(timer); useLocalExplorer(); };
  script.onload = function () {
    clearTimeout(timer);
    if (done || !window.EmbeddedSandbox) return useLocalExplorer();
    done = true;
    devHeaders().then(function (headers) {
      document.getElementById('loading').remove();
      new window.EmbeddedSandbox({
        target: '#sandbox',
        initialEndpoint: new URL('/graphql', location.href).href,
        initialState: { headers: headers, includeCookies: false },
        endpointIsEditable: false,
        runTelemetry: false,
      });
    });
  };
  document.head.appendChild(script);
})();
</script>
</body>
</html>
`;
