'use strict';

// The API that n8n's workflows post each call to in the end-to-end bench. It answers 200 at once
// and reports every request to the bench process: its path, its body, and when its last byte
// arrived. It runs in its own process so that the bench's clients do not delay its clock.
const http = require('node:http');

const RESPONSE_BODY = JSON.stringify({ ok: true });

// Longer than the pause between two batches, so that n8n's keep-alive sockets survive it.
const KEEP_ALIVE_TIMEOUT_MS = 60_000;

/** Milliseconds since the Unix epoch, with sub-millisecond precision, as in the bench process. */
const epochMs = () => performance.timeOrigin + performance.now();

const server = http.createServer((request, response) => {
	const chunks = [];
	request.on('data', (chunk) => chunks.push(chunk));
	request.on('end', () => {
		const arrivedAtMs = epochMs();
		response.writeHead(200, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(RESPONSE_BODY),
		});
		response.end(RESPONSE_BODY);
		const body = Buffer.concat(chunks).toString('utf8');
		process.send({ kind: 'arrival', path: request.url, arrivedAtMs, body });
	});
});
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

server.listen(0, '127.0.0.1', () => process.send({ kind: 'ready', port: server.address().port }));

// The bench process owns this one; when it goes, so does the server.
process.on('disconnect', () => process.exit(0));
