FROM debian:12
# expect: BW-DF-024
RUN wget https://example.com/big.tar
# pass
RUN wget --progress=dot:giga https://example.com/big.tar
# pass
RUN wget -q https://example.com/big.tar
# pass
RUN wget -nv https://example.com/big.tar
# pass
RUN wget -qO- https://example.com/x.txt
# expect: BW-DF-024
RUN curl -fsSL https://example.com/a && wget -O /tmp/f https://example.com/f
