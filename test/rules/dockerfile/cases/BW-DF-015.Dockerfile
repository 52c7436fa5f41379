# === a stage the final image does not use is not reported
FROM debian:12 AS build
# pass
RUN apt-get update && apt-get install -y gcc
FROM debian:12
# expect: BW-DF-015
RUN apt-get update && apt-get install -y --no-install-recommends curl
# pass
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
# pass
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl
# pass
RUN apt-get update
# === a stage the final stage is built on is reported
FROM debian:12 AS base
# expect: BW-DF-015
RUN apt-get update && apt-get install -y git
FROM base
RUN true
