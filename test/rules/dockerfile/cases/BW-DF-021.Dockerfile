FROM alpine:3.19
# expect: BW-DF-021
RUN apk add curl=8.5.0-r0
# pass
RUN apk add --no-cache curl=8.5.0-r0
# pass
RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.5.0-r0
# expect: BW-DF-021
RUN apk update && apk add bash=5.2.21-r0
# pass
RUN apk info
