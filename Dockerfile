# One image for every role: SERVICE=<name> or WORKER=<name> picks what a container runs
# (neither: everything, as `npm start`). Built by `cdk deploy` from the repository root.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/home/node/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY handlers ./handlers
COPY generated ./generated
COPY docs/api ./docs/api
COPY admin-ui/dist ./admin-ui/dist
RUN mkdir -p /home/node/data && chown node:node /home/node/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same entry point as `npm start`, without the tsx CLI's extra process (signals reach node).
CMD ["node", "--import", "tsx", "handlers/main.ts"]
