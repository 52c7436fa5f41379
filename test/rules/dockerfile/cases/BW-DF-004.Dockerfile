FROM debian:12
# expect: BW-DF-004
RUN apt-get update && apt-get upgrade -y
# expect: BW-DF-004
RUN apt-get -y dist-upgrade
# expect: BW-DF-004
RUN apt full-upgrade -y
# pass
RUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl=3.0.13-1~deb12u1
# pass
RUN echo upgrade
