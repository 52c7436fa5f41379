FROM debian:12
# expect: BW-DF-018
RUN apt-get install -y curl=1
# pass
RUN apt-get install -y --no-install-recommends curl=1
# pass
RUN apt-get install -y -o APT::Install-Recommends=false curl=1
# pass
RUN apt-get update
