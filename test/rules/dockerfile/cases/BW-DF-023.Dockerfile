FROM python:3.12 AS a
# expect: BW-DF-023
RUN pip install requests==2.31.0
# pass
RUN pip install --no-cache-dir requests==2.31.0
# pass
RUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.31.0
# pass
RUN pip freeze
FROM python:3.12 AS b
ENV PIP_NO_CACHE_DIR=1
# pass
RUN pip install requests==2.31.0
FROM python:3.12 AS c
ENV PIP_NO_CACHE_DIR=false
# expect: BW-DF-023
RUN pip3 install -r requirements.txt
