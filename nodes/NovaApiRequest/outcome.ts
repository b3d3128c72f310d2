import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { DispatchOutcome, DispatchRequest, ResponseOutcome } from '../../shared/dispatch';
import { Redactor } from './redact';
import type { RequestOptions } from './settings';

// Enough of a response body to recognise an API's error message in the n8n error panel.
const BODY_EXCERPT_CHARS = 300;

/** The request as it went out (or would have, in a dry run), with every secret removed. */
export function requestRecord(
	request: DispatchRequest,
	authentication: string,
	redactor: Redactor,
): IDataObject {
	return {
		method: request.method,
		url: redactor.text(request.url),
		headers: redactor.headers(request.headers ?? {}),
		...(request.body === undefined ? {} : { body: redactor.text(request.body) }),
		authentication,
	};
}

function excerpt(body: unknown, redactor: Redactor): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const clean = redactor.text(text ?? '');
	return clean.length > BODY_EXCERPT_CHARS ? `${clean.slice(0, BODY_EXCERPT_CHARS)}…` : clean;
}

function responseItem(
	outcome: ResponseOutcome,
	options: RequestOptions,
	redactor: Redactor,
): IDataObject {
	return redactor.deep({
		status: outcome.status,
		statusText: outcome.statusText,
		body: outcome.body as IDataObject,
		durationMs: outcome.durationMs,
		...(options.includeResponseHeaders ? { headers: redactor.headers(outcome.headers) } : {}),
		...(outcome.redirects > 0 ? { redirects: outcome.redirects, finalUrl: outcome.url } : {}),
	});
}

function statusError(node: INode, outcome: ResponseOutcome, redactor: Redactor, itemIndex: number) {
	const body = excerpt(outcome.body, redactor);
	return new NodeApiError(node, { status: outcome.status, body } as JsonObject, {
		message: `${outcome.host} answered ${outcome.status} ${outcome.statusText}`.trim(),
		description: `Response: ${body || '(empty)'}\nTurn on Options > Never Error to pass such responses on instead of failing.`,
		httpCode: String(outcome.status),
		itemIndex,
	});
}

function remoteError(node: INode, message: string, description: string, itemIndex: number) {
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description,
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a Node.js error code, such as ECONNREFUSED, for
	// a generic sentence without the host; the host is what the user needs to find the fault.
	error.message = message;
	return error;
}

const TIMEOUT_ADVICE =
	"Nova's own request would have failed the same way: it aborts after 10 seconds and never retries. Make the endpoint answer faster, or raise Options > Timeout.";

/**
 * Turns a dispatch outcome into the item's output fields.
 *
 * @throws NodeApiError for what the remote side did: a timeout, a network error, a response
 * that is too large, a body that is not the JSON asked for, or a 4xx/5xx unless Never Error is on.
 */
export function outcomeFields(
	node: INode,
	outcome: DispatchOutcome,
	options: RequestOptions,
	redactor: Redactor,
	itemIndex: number,
): IDataObject {
	switch (outcome.kind) {
		case 'timeout':
			throw remoteError(node, outcome.message, TIMEOUT_ADVICE, itemIndex);
		case 'networkError':
			throw remoteError(
				node,
				redactor.text(outcome.message),
				`Nothing usable came back (${outcome.code ?? 'no error code'}). Check the URL and that the host is reachable from n8n. The request was not retried.`,
				itemIndex,
			);
		case 'tooLarge':
			throw remoteError(
				node,
				outcome.message,
				'Raise Options > Maximum Response Size if this response is expected.',
				itemIndex,
			);
		case 'cancelled':
			throw new NodeOperationError(node, outcome.message, { itemIndex });
		case 'response':
			break;
	}

	if (outcome.parseError !== undefined) {
		throw remoteError(
			node,
			`${outcome.host} answered with a body that is not JSON: ${outcome.parseError}`,
			`Response: ${excerpt(outcome.body, redactor)}\nSet Options > Response Format to Autodetect or Text to accept it.`,
			itemIndex,
		);
	}
	const failed = outcome.status >= 400;
	if (failed && !options.neverError) throw statusError(node, outcome, redactor, itemIndex);
	return responseItem(outcome, options, redactor);
}
