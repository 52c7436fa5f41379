FROM debian:12
# expect: BW-DF-009
ADD config/ /etc/app/
# expect: BW-DF-009
ADD ["a.txt", "b.txt", "/dst/"]
# pass
ADD https://example.com/file.txt /tmp/
# pass
ADD rootfs.tar.gz /
# pass
COPY config/ /etc/app/
