FROM debian:12
# expect: BW-DF-008
ADD https://example.com/app.tar.gz /opt/
# pass
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tar.gz /opt/
# expect: BW-DF-008
ADD rootfs.tar.xz /
# pass
ADD config/ /etc/app/
# pass
COPY app.tar.gz /tmp/
# expect: BW-DF-008
ADD git@github.com:example/repo.git /src
