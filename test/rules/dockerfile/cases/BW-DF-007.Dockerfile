FROM node:20 AS build
WORKDIR /src
# expect: BW-DF-007
COPY . .
# expect: BW-DF-007
COPY --chown=node:node ./ /app/
# pass
COPY package.json package-lock.json ./
# pass
COPY src/ ./src/
# expect: BW-DF-007
ADD . /app
FROM node:20
# pass
COPY --from=build /src /app
# expect: BW-DF-007
COPY ["./", "/app"]
