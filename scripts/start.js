'use strict';

// `npm start`: n8n with this package's nodes and a live demo workflow, on SQLite, until Ctrl-C.
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { REPO_ROOT, startN8n, waitForWebhook } = require('./lib/n8nRuntime');

const N8N_PORT = Number(process.env.NOVA_N8N_PORT ?? 5678);
// The demo workflow sends to this inbox; scripts/demo/workflow.json names the same port.
const INBOX_PORT = 5680;
const USER_FOLDER = path.join(REPO_ROOT, '.n8n-home');
const DEMO_WORKFLOW = require('./demo/workflow.json');
const WEBHOOK_PATH = `${DEMO_WORKFLOW.nodes[0].webhookId}/nova-post-call`;

/** The demo's webhook secret: made once, kept in the n8n user folder so curl lines stay valid. */
function demoSecret() {
	const file = path.join(USER_FOLDER, 'demo-secret.txt');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		fs.writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
	}
	return fs.readFileSync(file, 'utf8').trim();
}

/** A stand-in for Slack or a CRM: prints every request the demo workflow sends it. */
async function startInbox() {
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			console.log(`\n[inbox] ${request.method} ${request.url}\n${body}`);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"stored": true}');
		});
	});
	await new Promise((resolve) => server.listen(INBOX_PORT, '127.0.0.1', resolve));
	return server;
}

function printWelcome(runtime, secret) {
	const webhookUrl = `${runtime.baseUrl}/webhook/${WEBHOOK_PATH}`;
	const sample = path.join('nodes', 'NovaPostCallTrigger', 'samplePayload.json');
	console.log(`
n8n ${runtime.release} is running with the Nova nodes.

  Editor:          ${runtime.baseUrl}  (create the owner account on first visit)
  Demo workflow:   "${DEMO_WORKFLOW.name}" (active)
  Webhook URL:     ${webhookUrl}
  Webhook secret:  ${secret}

Simulate a call that Nova has just finished:

  curl -i -X POST '${webhookUrl}' \\
    -H 'Authorization: Bearer ${secret}' \\
    -H 'Content-Type: application/json' \\
    -d @${sample}

The demo sends each call on to a local inbox, which prints it here. Ctrl-C stops everything.`);
}

async function main() {
	const secret = demoSecret();
	const credentials = [
		{
			id: 'novaDemoSecret',
			name: 'Nova demo webhook secret',
			type: 'novaWebhookSecretApi',
			data: { headerName: 'Authorization', format: 'bearer', secret, previousSecret: '' },
		},
	];
	const inbox = await startInbox();
	const runtime = await startN8n({
		port: N8N_PORT,
		userFolder: USER_FOLDER,
		setup: { workflows: [DEMO_WORKFLOW], credentials },
		log: console.log,
	});
	await waitForWebhook(runtime, WEBHOOK_PATH);
	printWelcome(runtime, secret);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n…');
		await runtime.stop();
		inbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
