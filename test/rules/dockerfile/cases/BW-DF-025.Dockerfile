FROM debian:12
RUN echo one
# expect: BW-DF-025
RUN echo two
# a comment between two RUNs does not separate them
# expect: BW-DF-025
RUN echo three
WORKDIR /x
# pass
RUN echo four
# pass
RUN echo five && echo six
# pass
RUN --mount=type=cache,target=/x echo seven
FROM debian:12
# pass
RUN echo new stage
