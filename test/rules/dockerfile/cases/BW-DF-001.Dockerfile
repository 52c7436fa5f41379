# === a root builder stage with a non-root final stage passes
# pass
FROM golang:1.22 AS build
RUN go build -o /app .
# pass
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
# pass
USER 65532
# === the last USER is root
FROM debian:12
# pass
USER app
# expect: BW-DF-001
USER root
# === no USER at all: reported on the final FROM
# expect: BW-DF-001
FROM debian:12
RUN true
# === UID 0 with a group
FROM alpine:3.19
# expect: BW-DF-001
USER 0:0
# === a final stage built on a stage that switched to a non-root user inherits it
FROM debian:12 AS base
RUN useradd app
USER app
# pass
FROM base
RUN echo inherited
# === ... unless it switches back
FROM debian:12 AS base2
USER nobody
FROM base2
# expect: BW-DF-001
USER root:root
