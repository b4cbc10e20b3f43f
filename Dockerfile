# syntax=docker/dockerfile:1
# The GitHub App as a container image. Build: `docker build -t gitops-bot .`
# Run: `docker run --read-only -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -p 3000:3000 gitops-bot`.
# Three stages: `build` compiles TypeScript with every dependency, `deps` installs production
# dependencies only, and the runtime stage copies just those two results into a distroless Node.js
# image (no shell, no package manager), running as a non-root user on a read-only root filesystem.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, straight from the lock file; no install scripts run.
# Type declarations, source maps and docs are never loaded at run time (@octokit's types alone are
# tens of MB): the image does without them.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force \
 && find node_modules -type f \( -name "*.d.ts" -o -name "*.d.mts" -o -name "*.d.cts" -o -name "*.map" -o -name "*.md" -o -name "*.markdown" \) -delete

FROM ${RUNTIME_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json marks dist/ as ES modules and names the package (templates and policies are found by it).
COPY package.json app.yml ./
COPY templates ./templates
COPY policies ./policies
# The distroless "nonroot" user (65532); nothing in /app is writable by it, and nothing needs to be.
USER 65532:65532
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/nodejs/bin/node", "dist/healthcheck.js"]
ENTRYPOINT ["/nodejs/bin/node"]
CMD ["dist/main.js"]
