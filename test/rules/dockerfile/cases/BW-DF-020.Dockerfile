FROM alpine:3.19
# expect: BW-DF-020
RUN apk add --no-cache curl
# pass
RUN apk add --no-cache curl=8.5.0-r0
# pass
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20231014-r0
# expect: BW-DF-020
RUN apk add --no-cache --repository https://dl-cdn.alpinelinux.org/alpine/edge/testing bash
# pass
RUN apk update
