FROM debian:12
# expect: BW-DF-014
RUN apt-get update && apt-get install -y --no-install-recommends curl
# pass
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 ca-certificates=20230311
# expect: BW-DF-014
RUN apt-get install -y -o Dpkg::Options::=--force-confold python3=3.11.2-1+b1 git
# pass
RUN apt-get install -y ./local.deb
# pass
RUN apt-get -y update
# pass
RUN apt-get install -y $PACKAGES
# expect: BW-DF-014
RUN ["apt-get", "install", "-y", "wget"]
