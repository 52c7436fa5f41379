FROM node:20
# expect: BW-DF-019
RUN npm install express
# pass
RUN npm install express@4.19.2 @types/node@20.11.0
# pass
RUN npm ci
# pass
RUN npm install
# expect: BW-DF-019
RUN npm i -g @angular/cli
# expect: BW-DF-019
RUN npm install typescript@latest
# pass
RUN npm install ./local-pkg git+https://github.com/example/lib.git
# pass
RUN npm run build
