'use strict';

const net = require('node:net');

// Each try takes one port the system just handed out; another program can take it back
// before n8n binds it, so a few tries are allowed.
const MAX_TRIES = 20;

async function canListen(port) {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function systemAssignedPort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A high port that is free together with the next one: n8n listens on the first and its
 * task-runner broker on the second (see n8nEnvironment in n8nRuntime.js).
 */
async function findFreePortPair() {
	for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
		const port = await systemAssignedPort();
		if (port < 65535 && (await canListen(port + 1))) return port;
	}
	throw new Error(`Found no two free neighbouring ports on 127.0.0.1 in ${MAX_TRIES} tries`);
}

module.exports = { findFreePortPair };
