FROM debian:12
# expect: BW-DF-010
WORKDIR app
# pass
WORKDIR /app
# pass
WORKDIR $HOME/app
# pass
WORKDIR "/quoted path"
# expect: BW-DF-010
WORKDIR ./sub
# pass
WORKDIR C:\app
