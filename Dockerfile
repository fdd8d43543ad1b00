# The one image every service of docker-compose.yml runs (gateway, each subgraph, the
# sandboxes): `command` picks the entry point. The current Node LTS, as package.json pins it.

# Build: every dependency, so that postinstall can build the browser pages (Vite); then
# only the production dependencies are kept (pruning removes packages, it reinstalls none).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Run: sources, production dependencies and the built pages, owned by root and read-only to
# the service, which runs as the image's unprivileged `node` user and writes only to DATA_DIR.
FROM node:26-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/config ./config
COPY --from=build /app/kit ./kit
COPY --from=build /app/gateway ./gateway
COPY --from=build /app/subgraphs ./subgraphs
COPY --from=build /app/sandbox ./sandbox
COPY --from=build /app/schema ./schema
COPY --from=build /app/scripts ./scripts
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 4000
# Liveness and readiness of the gateway; docker-compose.yml sets each service's own.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "scripts/probe.ts", "http://127.0.0.1:4000/health", "http://127.0.0.1:4000/ready"]
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=16", "gateway/main.ts"]
