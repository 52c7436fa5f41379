FROM debian:12
# expect: BW-DF-022
CMD node server.js
# pass
CMD ["node", "server.js"]
# expect: BW-DF-022
ENTRYPOINT /docker-entrypoint.sh
# pass
ENTRYPOINT ["/docker-entrypoint.sh"]
# expect: BW-DF-022
CMD ['node', 'server.js']
