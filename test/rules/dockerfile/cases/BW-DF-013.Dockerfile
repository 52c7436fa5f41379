FROM debian:12
# expect: BW-DF-013
RUN sudo apt-get update
# pass
RUN apt-get install -y sudo
# expect: BW-DF-013
RUN echo ok && sudo -u app make install
