'use strict';

// The API a Nova request goes to, as fast as it can be: it reads the request body and answers
// at once. It runs in its own process so that it does not share an event loop with the clients.
const http = require('node:http');

const RESPONSE_BODY = JSON.stringify({ ok: true, id: 'bench' });

// Longer than any pause between two batches of one contender, so keep-alive sockets survive.
const KEEP_ALIVE_TIMEOUT_MS = 60_000;

const server = http.createServer((request, response) => {
	request.resume();
	request.on('end', () => {
		response.writeHead(200, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(RESPONSE_BODY),
		});
		response.end(RESPONSE_BODY);
	});
});
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

// The bench process owns this one; when it goes, so does the server.
process.on('disconnect', () => process.exit(0));
