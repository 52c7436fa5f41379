ARG TAGGED=debian:12
ARG UNTAGGED=debian
ARG NODEFAULT
# expect: BW-DF-005
FROM ubuntu
# pass
FROM ubuntu:22.04 AS build
# pass
FROM build
# pass
FROM scratch
# pass
FROM alpine@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b
# pass
FROM ${TAGGED}
# expect: BW-DF-005
FROM ${UNTAGGED} AS other
# pass
FROM ${NODEFAULT}
# expect: BW-DF-005
FROM --platform=linux/arm64 registry.example.com:5000/team/app
# pass
FROM registry.example.com:5000/team/app:1.2
