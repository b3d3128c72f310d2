import type { IncomingMessage, ServerResponse } from 'node:http';

import {
	NodeConnectionTypes,
	type INodeType,
	type ISupplyDataFunctions,
	type SupplyData,
} from 'n8n-workflow';

import { DATA_END_MARKER, DATA_START_MARKER } from '../../nodes/NovaApiRequest/judgePrompt';
import type { SubNode } from './n8nHarness';
import { startServer, type LoopbackServer } from './servers';

/** A chat message as it arrives in an OpenAI chat-completions request. */
export interface ReceivedMessage {
	role: string;
	content: string;
}

/** What the fake model server does with one chat-completions request. */
export type ModelBehaviour =
	| { kind: 'answer'; content: string; delayMs?: number }
	| { kind: 'status'; status: number }
	| { kind: 'hang' };

export type ModelScript = (messages: ReceivedMessage[]) => ModelBehaviour;

/** The messages of a chat-completions request the fake server received. */
export function messagesOf(body: Buffer): ReceivedMessage[] {
	const parsed = JSON.parse(body.toString('utf8')) as { messages: ReceivedMessage[] };
	return parsed.messages;
}

/** The call data between the markers of the user message, parsed back from its JSON. */
export function dataBlockOf(messages: ReceivedMessage[]): Record<string, unknown> {
	const user = messages.find((message) => message.role === 'user')?.content ?? '';
	const start = user.indexOf(DATA_START_MARKER);
	const end = user.indexOf(DATA_END_MARKER);
	if (start === -1 || end < start) throw new Error('The user message has no data block');
	return JSON.parse(user.slice(start + DATA_START_MARKER.length, end)) as Record<string, unknown>;
}

/**
 * A deterministic judge for "the caller wants an appointment": it reads only the `reason` field
 * of the data block, so nothing said in another field, such as the summary, can change its answer.
 */
export const appointmentJudge: ModelScript = (messages) => {
	const { reason } = dataBlockOf(messages);
	const wants = typeof reason === 'string' && /appointment/i.test(reason);
	const verdict = wants ? 'yes' : 'no';
	const why = wants ? 'The caller asks for an appointment' : 'The call is about something else';
	return { kind: 'answer', content: JSON.stringify({ verdict, reason: why }) };
};

function completion(content: string) {
	return {
		id: 'chatcmpl-fake',
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'fake-judge',
		choices: [
			{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
		],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

function respond(
	script: ModelScript,
	request: IncomingMessage,
	response: ServerResponse,
	body: Buffer,
) {
	if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
		response.writeHead(404).end();
		return;
	}
	const behaviour = script(messagesOf(body));
	if (behaviour.kind === 'hang') return;
	if (behaviour.kind === 'status') {
		const error = { error: { message: 'The fake model broke', type: 'server_error' } };
		response.writeHead(behaviour.status, { 'content-type': 'application/json' });
		response.end(JSON.stringify(error));
		return;
	}
	const answer = () => {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(completion(behaviour.content)));
	};
	if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
	else answer();
}

/**
 * An OpenAI-compatible chat server on 127.0.0.1 (POST /v1/chat/completions) whose answers follow
 * `script`, which a test may swap between runs.
 */
export class FakeModelServer {
	script: ModelScript = appointmentJudge;

	private constructor(readonly server: LoopbackServer) {}

	static async start(): Promise<FakeModelServer> {
		// The handler reads the script through this holder, filled once the server is listening.
		const holder: { fake?: FakeModelServer } = {};
		const server = await startServer((request, response, body) => {
			if (holder.fake) respond(holder.fake.script, request, response, body);
		});
		holder.fake = new FakeModelServer(server);
		return holder.fake;
	}

	get baseUrl(): string {
		return this.server.url('/v1');
	}

	/** The messages of every request received, oldest first. */
	get requests(): ReceivedMessage[][] {
		return this.server.received.map((request) => messagesOf(request.body));
	}

	async close(): Promise<void> {
		await this.server.close();
	}
}

export interface FetchChatModelOptions {
	/** Whether to leave the abort signal unused, as a careless model integration would. */
	ignoreSignal?: boolean;
	/** Retries after a 5xx answer, as LangChain's AsyncCaller makes them (OpenAI Chat Model: 2). */
	maxRetries?: number;
}

/**
 * A stand-in for a LangChain chat model with the same `invoke` contract: role/content messages
 * in, `{ content }` out, an abort signal honoured, and `caller.maxRetries` retries after a 5xx.
 * It talks to a real OpenAI-compatible server over HTTP.
 */
export class FetchChatModel {
	readonly caller: { maxRetries: number };

	constructor(
		private readonly baseUrl: string,
		private readonly options: FetchChatModelOptions = {},
	) {
		this.caller = { maxRetries: options.maxRetries ?? 2 };
	}

	async invoke(messages: ReceivedMessage[], options: { signal?: AbortSignal } = {}) {
		const signal = this.options.ignoreSignal ? undefined : options.signal;
		for (let attempt = 0; ; attempt++) {
			const response = await fetch(`${this.baseUrl}/chat/completions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: 'Bearer fake-key' },
				body: JSON.stringify({ model: 'fake-judge', temperature: 0, messages }),
				signal,
			});
			const text = await response.text();
			if (response.ok) {
				const parsed = JSON.parse(text) as ReturnType<typeof completion>;
				return { content: parsed.choices[0].message.content };
			}
			if (response.status < 500 || attempt >= this.caller.maxRetries) {
				throw new Error(`${response.status} ${text}`);
			}
		}
	}
}

/** A chat-model sub-node as n8n runs one: n8n calls its supplyData for the connected node. */
export function chatModelSubNode(model: unknown, name = 'Fake Chat Model'): SubNode {
	const nodeType: INodeType = {
		description: {
			displayName: name,
			name: 'fakeChatModel',
			group: ['transform'],
			version: 1,
			description: 'Supplies a chat model for tests',
			defaults: { name },
			inputs: [],
			outputs: [NodeConnectionTypes.AiLanguageModel],
			properties: [],
		},
		async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
			return { response: model };
		},
	};
	return { name, connectionType: NodeConnectionTypes.AiLanguageModel, nodeType };
}
