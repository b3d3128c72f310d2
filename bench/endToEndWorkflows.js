'use strict';

// The workflows the end-to-end bench imports into n8n: ours (Nova Post-Call Trigger -> Nova API
// Request) and n8n's built-in pair (Webhook -> HTTP Request), once with the body built by
// JSON.stringify and once the naive way, by string interpolation. All three check the same
// secret header and send the same five fields to the same receiver.
const { BODY_TEMPLATE, FIELD_VARIABLES } = require('./hostileCall');

const SECRET = 'bench-secret-5c1e9a3f7b2d4068e1';

const CREDENTIALS = [
	{
		id: 'benchNovaSecret',
		name: 'Bench Nova webhook secret',
		type: 'novaWebhookSecretApi',
		data: { headerName: 'Authorization', format: 'bearer', secret: SECRET, previousSecret: '' },
	},
	{
		id: 'benchHeaderAuth',
		name: 'Bench header auth',
		type: 'httpHeaderAuth',
		data: { name: 'Authorization', value: `Bearer ${SECRET}` },
	},
];

// Every workflow runs with the same settings, so that only the nodes differ.
const SETTINGS = { executionOrder: 'v1' };

function connect(from, to) {
	return { [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } };
}

function workflow(id, name, [trigger, request]) {
	const nodes = [
		{ ...trigger, id: `${id}-trigger`, position: [0, 0] },
		{ ...request, id: `${id}-request`, position: [280, 0] },
	];
	const connections = connect(trigger.name, request.name);
	return { id, name, active: true, nodes, connections, settings: SETTINGS };
}

function oursWorkflow(receiverUrl) {
	return workflow('benchOurs', 'Bench: ours', [
		{
			name: 'Nova Post-Call Trigger',
			type: 'n8n-nodes-novavoca.novaPostCallTrigger',
			typeVersion: 1,
			webhookId: 'bench-ours',
			parameters: {},
			credentials: {
				novaWebhookSecretApi: { id: 'benchNovaSecret', name: 'Bench Nova webhook secret' },
			},
		},
		{
			name: 'Nova API Request',
			type: 'n8n-nodes-novavoca.novaApiRequest',
			typeVersion: 1,
			parameters: { method: 'POST', url: `${receiverUrl}/ours`, body: BODY_TEMPLATE },
		},
	]);
}

/** The JSON body as an n8n expression that builds the object and serializes it. */
function stringifiedBodyExpression() {
	const fields = Object.entries(FIELD_VARIABLES).map(
		([field, variable]) => `${field}: $json.body.${variable}`,
	);
	return `={{ JSON.stringify({ ${fields.join(', ')} }) }}`;
}

/** The JSON body as many users write it: the values interpolated into JSON text. */
function interpolatedBodyExpression() {
	const fields = Object.entries(FIELD_VARIABLES).map(
		([field, variable]) => `"${field}": "{{ $json.body.${variable} }}"`,
	);
	return `={ ${fields.join(', ')} }`;
}

function builtInWorkflow(id, name, webhookPath, targetUrl, jsonBody) {
	return workflow(id, name, [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: webhookPath,
			parameters: {
				httpMethod: 'POST',
				path: webhookPath,
				authentication: 'headerAuth',
				responseMode: 'onReceived',
				options: {},
			},
			credentials: { httpHeaderAuth: { id: 'benchHeaderAuth', name: 'Bench header auth' } },
		},
		{
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: targetUrl,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody,
				options: {},
			},
		},
	]);
}

/**
 * The three contenders, each with its workflow and the path its calls go to under /webhook/.
 * Each sends its calls to `receiverUrl` under a path that is the contender's key.
 */
function benchContenders(receiverUrl) {
	return [
		{
			key: 'ours',
			name: 'ours: Nova Trigger -> Nova API Request',
			shortName: 'ours',
			webhookPath: 'bench-ours/nova-post-call',
			workflow: oursWorkflow(receiverUrl),
		},
		{
			key: 'builtIn',
			name: 'built-in: Webhook -> HTTP Request',
			shortName: 'built-in',
			webhookPath: 'bench-built-in',
			workflow: builtInWorkflow(
				'benchBuiltIn',
				'Bench: built-in, JSON.stringify body',
				'bench-built-in',
				`${receiverUrl}/builtIn`,
				stringifiedBodyExpression(),
			),
		},
		{
			key: 'naive',
			name: 'built-in, body by string interpolation',
			shortName: 'built-in, interpolated',
			webhookPath: 'bench-naive',
			workflow: builtInWorkflow(
				'benchNaive',
				'Bench: built-in, interpolated body',
				'bench-naive',
				`${receiverUrl}/naive`,
				interpolatedBodyExpression(),
			),
		},
	];
}

module.exports = { CREDENTIALS, SECRET, benchContenders };
