import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/concurrency';
import { offlineCredentialTest } from '../../shared/credentialTest';
import {
	dispatch,
	InvalidUrlError,
	type DispatchOptions,
	type DispatchTransport,
} from '../../shared/dispatch';
import { decide, type Verdict } from './condition';
import { credentialProblem } from './credentialCheck';
import { CREDENTIAL_TYPE, properties } from './description';
import { NaturalLanguageJudge } from './naturalLanguage';
import { outcomeFields, requestRecord } from './outcome';
import { Redactor } from './redact';
import { renderRequest } from './render';
import { readItemSettings, readOptions, type NameValue, type RequestOptions } from './settings';

interface Run {
	ctx: IExecuteFunctions;
	/** What the request record says about authentication: none, or the credential's scheme. */
	authentication: string;
	transport: DispatchTransport;
	redactor: Redactor;
	/** Natural-language verdicts of this execution; none carry over to the next. */
	judge: NaturalLanguageJudge;
}

/** The Model input appears only while Send is "Only When the AI Agrees", as in n8n's AI chains. */
const MODEL_INPUT = {
	displayName: 'Model',
	type: NodeConnectionTypes.AiLanguageModel,
	maxConnections: 1,
	required: true,
};
const WITH_MODEL = JSON.stringify([NodeConnectionTypes.Main, MODEL_INPUT]);
const MAIN_ONLY = JSON.stringify([NodeConnectionTypes.Main]);
const INPUTS: `={{${string}}}` = `={{ $parameter.conditionMode === 'naturalLanguage' ? ${WITH_MODEL} : ${MAIN_ONLY} }}`;

type Routed = { output: 'sent' | 'skipped'; json: IDataObject } | { error: Error };

function transportFor(ctx: IExecuteFunctions, withCredential: boolean): DispatchTransport {
	const send = async (options: Parameters<DispatchTransport['send']>[0]) =>
		await ctx.helpers.httpRequest(options);
	if (!withCredential) return { send };
	return {
		send: async (options) =>
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options),
		// Used once a redirect leaves the origin the user named: the credential stays behind.
		sendWithoutCredentials: send,
	};
}

async function prepareRun(ctx: IExecuteFunctions): Promise<Run> {
	const withCredential = ctx.getNodeParameter('authentication', 0) === 'credential';
	const transport = transportFor(ctx, withCredential);
	const judge = new NaturalLanguageJudge(ctx);
	if (!withCredential)
		return { ctx, authentication: 'none', transport, redactor: new Redactor([]), judge };

	// Read here only to know which values to redact; n8n itself adds the credential to requests.
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const authentication = String(credentials.scheme);
	const redactor = Redactor.forCredentials(credentials);
	return { ctx, authentication, transport, redactor, judge };
}

function callVariables(item: INodeExecutionData, extras: NameValue[]): IDataObject {
	const variables: IDataObject = { ...item.json };
	for (const { name, value } of extras) variables[name] = value;
	return variables;
}

function dispatchOptions(ctx: IExecuteFunctions, options: RequestOptions): DispatchOptions {
	return {
		deadlineMs: options.timeoutMs,
		maxResponseBytes: Math.round(options.maxResponseMb * 1024 * 1024),
		maxRedirects: options.followRedirects ? options.maxRedirects : 0,
		responseFormat: options.responseFormat,
		cancelSignal: ctx.getExecutionCancelSignal(),
	};
}

const conditionField = (verdict: Verdict) =>
	verdict.mode === 'always' ? {} : { novaCondition: verdict };

async function processItem(run: Run, item: INodeExecutionData, itemIndex: number) {
	const { ctx } = run;
	const node = ctx.getNode();
	const settings = readItemSettings(ctx, itemIndex);
	const variables = callVariables(item, settings.extraVariables);
	const verdict = await decide(ctx, settings, variables, run.judge, itemIndex);
	if (!verdict.send) return { output: 'skipped', json: { ...item.json, novaCondition: verdict } };

	const request = renderRequest(node, settings, variables, itemIndex);
	const redactor = run.redactor.withHeaders(request.headers ?? {});
	const record = requestRecord(request, run.authentication, redactor);
	if (settings.options.dryRun) {
		return { output: 'sent', json: { dryRun: true, request: record, ...conditionField(verdict) } };
	}

	const outcome = await dispatch(request, run.transport, dispatchOptions(ctx, settings.options));
	const fields = outcomeFields(node, outcome, settings.options, redactor, itemIndex);
	return { output: 'sent', json: { ...fields, request: record, ...conditionField(verdict) } };
}

async function settle(run: Run, item: INodeExecutionData, itemIndex: number): Promise<Routed> {
	try {
		return (await processItem(run, item, itemIndex)) as Routed;
	} catch (error) {
		if (error instanceof InvalidUrlError) {
			const message = `The URL cannot be called: ${error.message}`;
			return { error: new NodeOperationError(run.ctx.getNode(), message, { itemIndex }) };
		}
		return { error: error as Error };
	}
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const { description } = error as { description?: unknown };
	const json: IDataObject = { error: error.message };
	if (typeof description === 'string' && description !== '') json.description = description;
	return { json, error: error as INodeExecutionData['error'], pairedItem: { item: itemIndex } };
}

/** Puts every result on its output in input order; without Continue On Fail, throws the first error. */
function route(results: Array<Routed | undefined>, continueOnFail: boolean) {
	const sent: INodeExecutionData[] = [];
	const skipped: INodeExecutionData[] = [];
	results.forEach((result, itemIndex) => {
		if (result === undefined) return;
		if ('error' in result) {
			if (!continueOnFail) throw result.error;
			sent.push(errorItem(result.error, itemIndex));
			return;
		}
		const output = result.output === 'sent' ? sent : skipped;
		output.push({ json: result.json, pairedItem: { item: itemIndex } });
	});
	return [sent, skipped];
}

export class NovaApiRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nova API Request',
		name: 'novaApiRequest',
		icon: { light: 'file:novavoca.svg', dark: 'file:novavoca.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
		description: "Send call data to any API, the way Nova's post-call API Request action does",
		defaults: { name: 'Nova API Request' },
		usableAsTool: true,
		inputs: INPUTS,
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Sent', 'Skipped'],
		credentials: [
			{
				name: 'novaRequestAuthApi',
				required: true,
				testedBy: 'novaRequestAuthTest',
				displayOptions: { show: { authentication: ['credential'] } },
			},
		],
		properties,
	};

	methods = {
		credentialTest: {
			novaRequestAuthTest: offlineCredentialTest(
				credentialProblem,
				'The credential is complete. The API itself checks it on the first request.',
			),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const run = await prepareRun(this);
		const { concurrency } = readOptions(this, 0);
		const continueOnFail = this.continueOnFail();

		// Without Continue On Fail the first error ends the run: no further request starts.
		let failed = false;
		const results = await mapWithConcurrency(
			items,
			concurrency,
			async (item, itemIndex) => {
				const result = await settle(run, item, itemIndex);
				failed ||= 'error' in result;
				return result;
			},
			() => failed && !continueOnFail,
		);

		return route(results, continueOnFail);
	}
}
