# expect: BW-DF-002
ARG GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789
# pass
ARG NPM_TOKEN
FROM debian:12
# expect: BW-DF-002
ENV DB_PASSWORD=hunter2
# expect: BW-DF-002
ENV AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" AWS_REGION=eu-west-1
# pass
ENV DB_PASSWORD_FILE=/run/secrets/db_password
# pass
ENV API_KEY=$API_KEY
# pass
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
# pass
ENV PWD=/app
# expect: BW-DF-002
ENV apiKey abc123legacyform
# expect: BW-DF-002
ARG CLIENT_SECRET=s3cr3tvalue
# pass
ENV TOKEN_URL=https://auth.example.com/token
# pass
ENV PASSWORD=""
# expect: BW-DF-002, BW-DF-002
ENV SLACK_TOKEN=xoxb-not-a-real-one MYSQL_ROOT_PASSWORD=rootpw
