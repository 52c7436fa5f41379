FROM debian:12
# expect: BW-DF-017
RUN apt-get install --no-install-recommends curl=1
# pass
RUN apt-get install -y curl=1
# pass
RUN apt-get install -qq curl=1
# pass
RUN apt-get --yes install curl=1
# pass
RUN apt-get install -yq curl=1
# expect: BW-DF-017
RUN apt install -q curl=1
# pass
RUN apt-get update
