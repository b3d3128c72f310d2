import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { Verdict } from './condition';
import { answerExcerpt, answerText, parseAnswer, type Decision } from './judgeAnswer';
import { callDataJson, judgeMessages, type ChatMessage } from './judgePrompt';
import type { NaturalLanguageSettings } from './settings';

/**
 * What this node needs of the chat model a sub-node supplies: LangChain's BaseChatModel.invoke,
 * described by its shape so that no LangChain code ships with the package.
 */
interface ChatModel {
	invoke(
		messages: ChatMessage[],
		options?: { signal?: AbortSignal },
	): Promise<{ content: unknown }>;
	/** LangChain's retry queue, which re-sends a failed call after a pause. */
	caller?: { maxRetries?: unknown };
}

type Judgement =
	{ decided: true; decision: Decision; reason: string } | { decided: false; problem: string };

type Reply = { content: unknown } | { decided: false; problem: string };

const FAIL_ADVICE =
	'The model was asked once and not again. Check the Model sub-node, raise Options > AI Timeout, or choose another way under Options > If the AI Cannot Decide.';

function isChatModel(value: unknown): value is ChatModel {
	return typeof (value as Partial<ChatModel> | null)?.invoke === 'function';
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Asks the model once. The deadline goes to the model as an abort signal, and the race ends the
 * wait even for a model that ignores its signal.
 */
async function invokeWithin(
	model: ChatModel,
	messages: ChatMessage[],
	deadlineMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<Reply> {
	const deadline = AbortSignal.timeout(deadlineMs);
	const signal = cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline;
	let onAbort = () => {};
	const stopped = new Promise<'stopped'>((resolve) => (onAbort = () => resolve('stopped')));
	signal.addEventListener('abort', onAbort, { once: true });

	const answer = model.invoke(messages, { signal });
	// An answer or error that arrives after the deadline has nobody left to read it.
	answer.catch(() => undefined);
	try {
		const outcome = await Promise.race([answer, stopped]);
		if (outcome !== 'stopped') return outcome;
	} catch (error) {
		if (!signal.aborted) {
			return { decided: false, problem: `The model call failed: ${errorMessage(error)}` };
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
	return { decided: false, problem: `The model did not answer in time (${deadlineMs} ms)` };
}

function judgementOf(reply: Reply): Judgement {
	if ('decided' in reply) return reply;
	const text = answerText(reply.content);
	const parsed = parseAnswer(text);
	if (parsed) return { decided: true, ...parsed };
	const problem = `The model's answer is not a yes/no verdict: "${answerExcerpt(text)}"`;
	return { decided: false, problem };
}

function verdictFor(
	node: INode,
	judgement: Judgement,
	settings: NaturalLanguageSettings,
	itemIndex: number,
): Verdict {
	const mode = 'naturalLanguage';
	if (judgement.decided) {
		const { decision, reason } = judgement;
		return { mode, send: decision === 'yes', verdict: decision, reason };
	}
	if (settings.fallback === 'fail') {
		const message = judgement.problem;
		throw new NodeApiError(node, { message } as JsonObject, {
			message,
			description: FAIL_ADVICE,
			itemIndex,
		});
	}
	const send = settings.fallback === 'send';
	const outcome = send ? 'sent' : 'skipped';
	const reason = `${judgement.problem}; ${outcome} as set in "If the AI Cannot Decide"`;
	return { mode, send, verdict: 'undecided', reason };
}

/**
 * Judges natural-language conditions with the chat model connected to the node. Lives for one
 * execution: an identical condition with identical call data is put to the model once.
 */
export class NaturalLanguageJudge {
	private model?: Promise<ChatModel>;
	private readonly judgements = new Map<string, Promise<Judgement>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/**
	 * Whether one item is sent, as the model decides, or as "If the AI Cannot Decide" says.
	 *
	 * @throws NodeOperationError when the condition is empty or no chat model is connected.
	 * @throws NodeApiError when the model cannot decide and the user chose to fail.
	 */
	async verdict(
		settings: NaturalLanguageSettings,
		variables: IDataObject,
		itemIndex: number,
	): Promise<Verdict> {
		const node = this.ctx.getNode();
		if (settings.condition.trim() === '') {
			throw new NodeOperationError(node, 'The "Condition" is empty', {
				itemIndex,
				description:
					'Write what must be true of a call, such as "the caller wants an appointment".',
			});
		}

		// Concurrent items with the same key share one pending judgement, not just a finished one.
		const key = `${settings.condition}\u0000${callDataJson(variables)}`;
		let judgement = this.judgements.get(key);
		if (!judgement) {
			judgement = this.judge(settings, variables);
			this.judgements.set(key, judgement);
		}
		return verdictFor(node, await judgement, settings, itemIndex);
	}

	private async judge(
		settings: NaturalLanguageSettings,
		variables: IDataObject,
	): Promise<Judgement> {
		const model = await this.chatModel();
		const messages = judgeMessages(settings.condition, variables);
		const cancelSignal = this.ctx.getExecutionCancelSignal();
		const reply = await invokeWithin(model, messages, settings.aiTimeoutMs, cancelSignal);
		if (cancelSignal?.aborted) {
			throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled', {
				description: 'The model was deciding whether to send the request; nothing was sent.',
			});
		}
		return judgementOf(reply);
	}

	private async chatModel(): Promise<ChatModel> {
		this.model ??= this.connectedModel();
		return await this.model;
	}

	private async connectedModel(): Promise<ChatModel> {
		const connected: unknown = await this.ctx.getInputConnectionData(
			NodeConnectionTypes.AiLanguageModel,
			0,
		);
		if (!isChatModel(connected)) {
			throw new NodeOperationError(this.ctx.getNode(), 'The connected model cannot chat', {
				description:
					'Connect a chat model sub-node, such as OpenAI Chat Model, Anthropic Chat Model or Ollama Chat Model, to the Model input.',
			});
		}
		// LangChain re-sends a failed call (OpenAI Chat Model: twice by default). The condition is
		// asked once, as Nova sends its request once; this model object serves this execution only.
		if (typeof connected.caller?.maxRetries === 'number') connected.caller.maxRetries = 0;
		return connected;
	}
}
