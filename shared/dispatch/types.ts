import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** How a response body is read: `auto` parses JSON when the Content-Type says JSON. */
export type ResponseFormat = 'auto' | 'json' | 'text';

/**
 * Sends one request through n8n, for example `this.helpers.httpRequest`, or
 * `httpRequestWithAuthentication` bound to a credential type.
 */
export type SendRequest = (options: IHttpRequestOptions) => Promise<unknown>;

export interface DispatchRequest {
	method: HttpMethod;
	url: string;
	headers?: Record<string, string>;
	/** Sent byte for byte as UTF-8. */
	body?: string;
}

export interface DispatchOptions {
	/** The whole request, from connecting to the last body byte, must finish within this. */
	deadlineMs?: number;
	/** A response body larger than this is aborted, not read. Counted after decompression. */
	maxResponseBytes?: number;
	/** How many redirects are followed; 0 returns a 3xx as the response. */
	maxRedirects?: number;
	responseFormat?: ResponseFormat;
	/** The n8n execution's cancel signal: the request ends when the execution is stopped. */
	cancelSignal?: AbortSignal;
}

export interface DispatchTransport {
	/** Sends with the node's credentials attached, if it has any. */
	send: SendRequest;
	/**
	 * Sends without credentials. Used once a redirect leaves the origin the user named, so that
	 * no credential reaches another host. Defaults to `send` for transports without credentials.
	 */
	sendWithoutCredentials?: SendRequest;
}

interface OutcomeBase {
	/** The host the outcome concerns: the redirect target once a redirect was followed. */
	host: string;
	durationMs: number;
}

export interface ResponseOutcome extends OutcomeBase {
	kind: 'response';
	status: number;
	statusText: string;
	headers: IDataObject;
	/** Parsed JSON, or text when the body is not JSON or text was asked for. */
	body: unknown;
	/** Set when JSON was asked for and the body did not parse; `body` then holds the text. */
	parseError?: string;
	/** The URL that answered, after redirects. */
	url: string;
	redirects: number;
}

export interface TimeoutOutcome extends OutcomeBase {
	kind: 'timeout';
	deadlineMs: number;
	retried: false;
	message: string;
}

export interface NetworkErrorOutcome extends OutcomeBase {
	kind: 'networkError';
	/** A Node.js or n8n error code, such as ECONNREFUSED or ENOTFOUND, when one is known. */
	code: string | undefined;
	message: string;
}

export interface TooLargeOutcome extends OutcomeBase {
	kind: 'tooLarge';
	maxResponseBytes: number;
	status: number;
	message: string;
}

export interface CancelledOutcome extends OutcomeBase {
	kind: 'cancelled';
	message: string;
}

export type DispatchOutcome =
	ResponseOutcome | TimeoutOutcome | NetworkErrorOutcome | TooLargeOutcome | CancelledOutcome;
