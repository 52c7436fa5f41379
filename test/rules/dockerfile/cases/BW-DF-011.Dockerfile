FROM debian:12
# expect: BW-DF-011
RUN service nginx start
# expect: BW-DF-011
RUN ps aux && top -b -n1
# pass
RUN apt-get install -y openssh-client vim
# pass
RUN echo ssh
# expect: BW-DF-011
RUN ["/usr/bin/vim", "-c", "wq", "/etc/x"]
