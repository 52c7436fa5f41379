FROM debian:12
# expect: BW-DF-012
RUN cd /tmp && make
# pass
RUN make -C /tmp
# pass
RUN echo cd
# expect: BW-DF-012
RUN if [ -d /src ]; then cd /src; fi
