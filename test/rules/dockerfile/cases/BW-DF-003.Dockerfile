FROM debian:12
# expect: BW-DF-003
RUN curl -fsSL https://get.example.com | sh
# expect: BW-DF-003
RUN wget -O- https://get.example.com/install.sh | sudo bash -s -- --yes
# expect: BW-DF-003
RUN sh -c "$(curl -fsSL https://raw.example.com/install.sh)"
# expect: BW-DF-003
RUN bash <(curl -s https://x.example.com/i.sh)
# pass
RUN curl -fsSLo /tmp/i.sh https://get.example.com && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh
# pass
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
# expect: BW-DF-003
RUN set -eux; \
    curl -sSL https://install.example.org \
      | python3 -
