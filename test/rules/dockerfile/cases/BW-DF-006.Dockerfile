# expect: BW-DF-006
FROM node:latest AS a
# pass
FROM node:20-bookworm-slim AS b
# pass
FROM node:latest@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b
# expect: BW-DF-006
FROM docker.io/library/python:latest
# pass
FROM python
