FROM debian:12 AS a
# expect: BW-DF-026
RUN curl -fsSL https://example.com/x.tgz | tar xz
# pass
RUN set -o pipefail && curl -fsSL https://example.com/x.tgz | tar xz
# pass
RUN echo "a|b"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# pass
RUN curl -fsSL https://example.com/x.tgz | tar xz
FROM a
# pass
RUN echo inherited | cat
FROM debian:12
# expect: BW-DF-026
RUN cat /etc/os-release | grep ID
SHELL ["/bin/sh", "-c"]
# expect: BW-DF-026
RUN ls | grep x
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# pass
RUN Get-ChildItem | Select-Object Name
