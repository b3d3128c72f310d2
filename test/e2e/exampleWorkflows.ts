import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { LoopbackServer } from '../support/servers';
import type { Workflow } from './realN8n';

/** The secret the examples' Nova Webhook Secret credential holds in the suites. */
export const SECRET = 'e2e-secret-3b9f2c7d1a5e8f60';

/** A workflow from examples/, as the package ships it. */
export const example = (file: string): Workflow =>
	JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Workflow;

/** An example workflow, active, with its request pointed at the local receiver. */
export function pointedAt(workflow: Workflow, receiver: LoopbackServer, path: string, extra = {}) {
	const nodes = workflow.nodes.map((node) =>
		node.type.endsWith('.novaApiRequest')
			? { ...node, parameters: { ...node.parameters, url: receiver.url(path), ...extra } }
			: node,
	);
	return { ...workflow, active: true, nodes };
}

/** A copy of `workflow` under another id and webhook path. */
export function variant(workflow: Workflow, id: string, webhookId: string, trigger = {}) {
	const nodes = workflow.nodes.map((node) =>
		node.type.endsWith('.novaPostCallTrigger')
			? { ...node, id: `${id}-t`, webhookId, parameters: { ...node.parameters, ...trigger } }
			: { ...node, id: `${id}-${node.name}` },
	);
	return { ...workflow, id, name: `${workflow.name} (${id})`, nodes };
}

/** The credential every example's trigger names, holding SECRET. */
export const SECRET_CREDENTIAL = {
	id: 'novaExampleSecret',
	name: 'Nova webhook secret',
	type: 'novaWebhookSecretApi',
	data: { headerName: 'Authorization', format: 'bearer', secret: SECRET, previousSecret: '' },
};

/** The examples' credentials; the OpenAI one points at an OpenAI-compatible server. */
export const exampleCredentials = (modelBaseUrl: string) => [
	{
		id: 'novaExampleOpenAi',
		name: 'OpenAI or a compatible server',
		type: 'openAiApi',
		data: { apiKey: 'e2e-model-key', url: modelBaseUrl },
	},
	SECRET_CREDENTIAL,
	{
		id: 'novaExampleHubSpotToken',
		name: 'HubSpot private app token',
		type: 'novaRequestAuthApi',
		data: { scheme: 'bearer', token: 'hubspot-e2e-token' },
	},
	{
		id: 'novaExampleZendeskAuth',
		name: 'Zendesk API token (basic auth)',
		type: 'novaRequestAuthApi',
		data: { scheme: 'basic', user: 'agent@firma.de/token', password: 'zendesk-e2e-token' },
	},
];
