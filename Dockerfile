# syntax=docker/dockerfile:1
# The pipeline's image: every stage runs from it (`smp gateway`, `smp features`,
# `smp sink`, ...). Two stages: the first compiles TypeScript with the dev
# dependencies, the second holds production dependencies and the compiled
# output only, and runs as the unprivileged `node` user.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Install scripts are skipped: the `node` dev dependency would fetch a second
# Node.js, and onnxruntime-node ships its CPU binaries in the package.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bench ./bench
COPY cli ./cli
COPY gateway ./gateway
COPY infra ./infra
COPY lib ./lib
COPY models ./models
COPY pipelines ./pipelines
COPY processors ./processors
COPY schemas ./schemas
RUN npx tsc -p tsconfig.build.json

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    GATEWAY_PORT=8080
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Data files are read at run time from the package folder, next to dist/.
COPY schemas/*.avsc ./schemas/
COPY lib/db/migrations ./lib/db/migrations
COPY pipelines ./pipelines
COPY models ./models
USER node
EXPOSE 8080 9464
ENTRYPOINT ["node", "bin/smp.js"]
CMD ["run"]
