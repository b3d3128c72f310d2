import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { HttpMethod, ResponseFormat } from '../../shared/dispatch';
import type { MissingVariablePolicy } from '../../shared/template';
import { templateParameter, templateValues } from './expressionMode';
import { DEFAULT_AI_TIMEOUT_MS, DEFAULT_CONCURRENCY, METHODS_WITH_BODY } from './description';

export type ConditionMode = 'always' | 'rules' | 'naturalLanguage';

/** Where an item goes when the model times out, fails, or answers something unreadable. */
export type AiFallback = 'skip' | 'send' | 'fail';

export interface NaturalLanguageSettings {
	condition: string;
	aiTimeoutMs: number;
	fallback: AiFallback;
}

export interface RequestOptions {
	aiFallback: AiFallback;
	aiTimeoutMs: number;
	concurrency: number;
	dryRun: boolean;
	followRedirects: boolean;
	includeResponseHeaders: boolean;
	keepValueTypes: boolean;
	maxRedirects: number;
	maxResponseMb: number;
	missingVariables: MissingVariablePolicy;
	neverError: boolean;
	responseFormat: ResponseFormat;
	timeoutMs: number;
}

export interface NameValue {
	name: string;
	value: string;
}

/** The node's parameters for one item; expressions can make them differ from item to item. */
export interface ItemSettings {
	method: HttpMethod;
	url: string;
	headers: NameValue[];
	/** The body template, or '' when the method carries none or the field is empty. */
	body: string;
	extraVariables: NameValue[];
	conditionMode: ConditionMode;
	/** Set when the condition mode is 'naturalLanguage'. */
	naturalLanguage?: NaturalLanguageSettings;
	options: RequestOptions;
}

const DEFAULT_OPTIONS: RequestOptions = {
	aiFallback: 'skip',
	aiTimeoutMs: DEFAULT_AI_TIMEOUT_MS,
	concurrency: DEFAULT_CONCURRENCY,
	dryRun: false,
	followRedirects: true,
	includeResponseHeaders: false,
	keepValueTypes: false,
	maxRedirects: 5,
	maxResponseMb: 10,
	missingVariables: 'empty',
	neverError: false,
	responseFormat: 'auto',
	timeoutMs: 10_000,
};

function nameValues(entries: Array<Partial<NameValue>>): NameValue[] {
	return entries
		.map(({ name, value }) => ({ name: String(name ?? '').trim(), value: String(value ?? '') }))
		.filter(({ name }) => name !== '');
}

function bodyTemplate(ctx: IExecuteFunctions, method: HttpMethod, itemIndex: number): string {
	if (!METHODS_WITH_BODY.includes(method)) return '';
	// A body given as an n8n expression may evaluate to an object rather than text.
	const body = templateParameter(ctx, 'body', itemIndex, '') as string | IDataObject;
	return typeof body === 'string' ? body.trim() : JSON.stringify(body);
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): RequestOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Partial<RequestOptions>;
	return { ...DEFAULT_OPTIONS, ...options };
}

function naturalLanguageSettings(
	ctx: IExecuteFunctions,
	options: RequestOptions,
	itemIndex: number,
): NaturalLanguageSettings {
	const condition = ctx.getNodeParameter('condition', itemIndex, '') as string;
	return { condition, aiTimeoutMs: options.aiTimeoutMs, fallback: options.aiFallback };
}

export function readItemSettings(ctx: IExecuteFunctions, itemIndex: number): ItemSettings {
	const method = ctx.getNodeParameter('method', itemIndex) as HttpMethod;
	const conditionMode = ctx.getNodeParameter('conditionMode', itemIndex) as ConditionMode;
	const options = readOptions(ctx, itemIndex);
	return {
		method,
		url: String(templateParameter(ctx, 'url', itemIndex, '') ?? ''),
		headers: nameValues(templateValues<NameValue>(ctx, 'headers.header', itemIndex)),
		body: bodyTemplate(ctx, method, itemIndex),
		extraVariables: nameValues(
			ctx.getNodeParameter('variables.variable', itemIndex, []) as NameValue[],
		),
		conditionMode,
		...(conditionMode === 'naturalLanguage'
			? { naturalLanguage: naturalLanguageSettings(ctx, options, itemIndex) }
			: {}),
		options,
	};
}
