FROM python:3.12
# expect: BW-DF-016
RUN pip install requests
# pass
RUN pip install requests==2.31.0 'urllib3>=2,<3'
# pass
RUN pip install -r requirements.txt
# pass
RUN pip3 install --no-cache-dir .
# expect: BW-DF-016
RUN python3 -m pip install --index-url https://pypi.example.com/simple flask
# pass
RUN pip install ./dist/app-1.0-py3-none-any.whl
# pass
RUN pip install git+https://github.com/example/lib.git@v1.2.0
# pass
RUN pip download flask
