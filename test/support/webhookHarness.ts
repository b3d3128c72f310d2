import { mkdtempSync } from 'node:fs';
import {
	createServer,
	request as httpRequest,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseForm } from 'node:querystring';

import {
	jsonParse,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

// n8n-core reads its instance settings from the user folder when first loaded; keep them out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-test-home-'));
/* eslint-disable @typescript-eslint/no-require-imports */
const { HookContext, WebhookContext, parseIncomingMessage } =
	require('n8n-core') as typeof import('n8n-core');
// Express 5 parses query strings with qs when n8n sets 'query parser' to 'extended'.
const qs = require('qs') as { parse(text: string, options: { allowPrototypes: boolean }): unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

/** n8n's N8N_PAYLOAD_SIZE_MAX default: bodies over 16 MiB never reach a node. */
const N8N_PAYLOAD_SIZE_MAX_BYTES = 16 * 1024 * 1024;
const WORKFLOW_ID = 'workflow-under-test';
const WEBHOOK_ID = '3f0c1e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

/** Credentials by type, as n8n would hand them to the node after decrypting them. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

export interface EndpointOptions {
	nodeType: INodeType;
	parameters?: INodeParameters;
	credentials?: TestCredentials;
	/** 'manual' is a test URL, listened for with "Listen for test event"; 'webhook' is production. */
	mode?: Extract<WorkflowExecuteMode, 'manual' | 'webhook'>;
	/** What n8n's multipart parser (formidable) would put in req.body; it is not installed here. */
	multipartBody?: { data: Record<string, unknown>; files: Record<string, unknown> };
}

/** One request as n8n 2.8 handled it, seen from the workflow's side. */
export interface HandledRequest {
	/** Whether n8n's body parser refused the request before the node ran (invalid JSON). */
	refusedByN8n: boolean;
	result?: IWebhookResponseData;
	error?: unknown;
	/** Whether the answer had been sent completely when webhook() returned. */
	answeredWhenNodeReturned: boolean;
}

export interface Answer {
	status: number;
	headers: IncomingMessage['headers'];
	text: string;
	json: unknown;
}

export interface OutgoingRequest {
	method?: string;
	/** Path and query after the webhook's URL, such as "?caller=1". */
	query?: string;
	headers?: Record<string, string | number>;
	body?: string | Buffer;
}

function credentialsHelper(credentials: TestCredentials) {
	return {
		getParentTypes: () => [],
		getDecrypted: async (_data: unknown, _details: unknown, type: string) => credentials[type],
		getCredentialsProperties: () => [],
	};
}

function workflowFor(nodeType: INodeType, parameters: INodeParameters, credentialTypes: string[]) {
	const node: INode = {
		id: 'trigger-under-test',
		name: 'Trigger Under Test',
		type: 'test.triggerUnderTest',
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: {},
		credentials: Object.fromEntries(
			credentialTypes.map((type) => [type, { id: type, name: `${type} test` }]),
		),
	};
	const { description } = nodeType;
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
	});
	return { workflow, node };
}

async function readRawBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let bytes = 0;
	for await (const chunk of request) {
		bytes += (chunk as Buffer).length;
		if (bytes > N8N_PAYLOAD_SIZE_MAX_BYTES) throw new Error('request entity too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/**
 * The request as n8n 2.8's webhook server prepares it for a version-1 node: its raw-body reader
 * (contentType, encoding, rawBody), its body parser (parseBody in middlewares/body-parser) and
 * Express 5's 'extended' query parser and client address. Returns false when n8n itself would
 * refuse the request, as it does with 422 for invalid JSON sent as application/json.
 */
async function prepareAsN8n(request: IncomingMessage, options: EndpointOptions): Promise<boolean> {
	const req = request as IncomingMessage & Record<string, unknown>;
	parseIncomingMessage(request);
	req.query = qs.parse(new URL(request.url ?? '/', 'http://n8n').search.slice(1), {
		allowPrototypes: true,
	});
	req.params = {};
	req.ip = request.socket.remoteAddress;
	if (request.contentType === 'multipart/form-data') {
		req.body = options.multipartBody;
		return true;
	}

	request.rawBody = await readRawBody(request);
	const text = request.rawBody.toString(request.encoding);
	if (request.rawBody.length === 0) return true;
	if (request.contentType === 'application/json') {
		try {
			req.body = jsonParse(text);
		} catch {
			return false;
		}
	} else if (request.contentType === 'application/x-www-form-urlencoded') {
		req.body = parseForm(text, undefined, undefined, { maxKeys: 1000 });
	} else if (request.contentType === 'text/plain') {
		req.body = text;
	}
	return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

/** A node under test behind a real HTTP server that routes and answers as n8n 2.8 does. */
export class TriggerEndpoint {
	/** The items of every execution n8n would have started, in order. */
	readonly executions: INodeExecutionData[][][] = [];
	readonly handled: HandledRequest[] = [];
	private readonly server: Server;
	private readonly workflow: Workflow;
	private readonly node: INode;
	private readonly description: IWebhookDescription;

	constructor(private readonly options: EndpointOptions) {
		const credentials = options.credentials ?? {};
		const built = workflowFor(options.nodeType, options.parameters ?? {}, Object.keys(credentials));
		this.workflow = built.workflow;
		this.node = built.node;
		const [description] = options.nodeType.description.webhooks ?? [];
		if (!description) throw new Error('The node type has no webhook description');
		this.description = description;
		this.server = createServer((request, response) => void this.handle(request, response));
	}

	async listen(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private get mode() {
		return this.options.mode ?? 'webhook';
	}

	/** The methods n8n registers, evaluated from the description as n8n's WebhookService does. */
	get registeredMethods(): string[] {
		const methods = this.workflow.expression.getSimpleParameterValue(
			this.node,
			this.description.httpMethod,
			'internal',
			{},
			undefined,
			'GET',
		);
		return String(methods)
			.split(',')
			.map((method) => method.trim())
			.filter(Boolean);
	}

	/** The path n8n registers, such as <webhookId>/nova-post-call. */
	get webhookPath(): string {
		const path = String(
			this.workflow.expression.getSimpleParameterValue(
				this.node,
				this.description.path,
				'internal',
				{},
			),
		);
		const isFullPath = this.description.isFullPath === true;
		return NodeHelpers.getNodeWebhookPath(WORKFLOW_ID, this.node, path, isFullPath);
	}

	url(query = ''): string {
		const { port } = this.server.address() as AddressInfo;
		const prefix = this.mode === 'manual' ? 'webhook-test' : 'webhook';
		return `http://127.0.0.1:${port}/${prefix}/${this.webhookPath}${query}`;
	}

	async send(outgoing: OutgoingRequest = {}): Promise<Answer> {
		return await sendRequest(this.url(outgoing.query), outgoing);
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const prefix = this.mode === 'manual' ? '/webhook-test/' : '/webhook/';
		const path = new URL(request.url ?? '/', 'http://n8n').pathname;
		const registered = this.registeredMethods.includes(request.method ?? '');
		if (path !== prefix + this.webhookPath || !registered) {
			return sendJson(response, 404, { code: 404, message: 'This webhook is not registered' });
		}
		if (!(await prepareAsN8n(request, this.options))) {
			this.handled.push({ refusedByN8n: true, answeredWhenNodeReturned: false });
			return sendJson(response, 422, { code: 422, message: 'Failed to parse request body' });
		}
		await this.runNode(request, response);
		if (!response.writableEnded) sendJson(response, 500, { message: 'The harness: no answer' });
	}

	private context(request: IncomingMessage, response: ServerResponse) {
		const additionalData = {
			credentialsHelper: credentialsHelper(this.options.credentials ?? {}),
			httpRequest: request,
			httpResponse: response,
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: request.method as IWebhookData['httpMethod'],
			node: this.node.name,
			path: this.webhookPath,
			webhookDescription: this.description,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: additionalData,
		};
		const { workflow, node, mode } = this;
		return new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
	}

	/** Runs webhook() in n8n-core's WebhookContext, then does what n8n 2.8's executeWebhook does. */
	private async runNode(request: IncomingMessage, response: ServerResponse): Promise<void> {
		let result: IWebhookResponseData;
		try {
			result = await this.options.nodeType.webhook!.call(this.context(request, response));
		} catch (error) {
			this.handled.push({ refusedByN8n: false, error, answeredWhenNodeReturned: false });
			const message = 'Workflow Webhook Error: Workflow could not be started!';
			if (!response.headersSent) sendJson(response, 500, { code: 0, message });
			return;
		}
		const answeredWhenNodeReturned = response.writableEnded;
		this.handled.push({ refusedByN8n: false, result, answeredWhenNodeReturned });
		const answered = result.noWebhookResponse === true;

		if (result.workflowData === undefined) {
			if (!answered)
				sendJson(response, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		// n8n 2.8 stores the execution first, then answers onReceived (executeWebhook).
		this.executions.push(result.workflowData);
		if (!answered) this.answerOnReceived(response, result);
	}

	/** What n8n 2.8's extractWebhookOnReceivedResponse makes of the description and result. */
	private answerOnReceived(response: ServerResponse, result: IWebhookResponseData): void {
		// Without responseData in the description, n8n evaluates it to 'firstEntryJson'.
		const responseData = this.description.responseData ?? 'firstEntryJson';
		if (responseData === 'noData') return void response.end();
		if (responseData) return void response.end(responseData);
		sendJson(response, 200, result.webhookResponse ?? { message: 'Workflow was started' });
	}
}

/**
 * The HookContext n8n builds to run a node's webhookMethods when a workflow is activated or
 * when "Listen for test event" registers a test webhook.
 */
export function hookContext(options: EndpointOptions) {
	const credentials = options.credentials ?? {};
	const { workflow, node } = workflowFor(
		options.nodeType,
		options.parameters ?? {},
		Object.keys(credentials),
	);
	const additionalData = {
		credentialsHelper: credentialsHelper(credentials),
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const mode = options.mode ?? 'webhook';
	return new HookContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
	);
}

export async function startEndpoint(options: EndpointOptions): Promise<TriggerEndpoint> {
	return await new TriggerEndpoint(options).listen();
}

/** Sends one request with node:http, so that method, headers and body are exactly as given. */
export async function sendRequest(url: string, outgoing: OutgoingRequest): Promise<Answer> {
	const { method = 'POST', headers = {}, body } = outgoing;
	return await new Promise<Answer>((resolve, reject) => {
		const request = httpRequest(url, { method, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined; // Not every answer is JSON; `text` has it as it came.
				}
				resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
			});
		});
		request.on('error', reject);
		request.end(body);
	});
}
