import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { isByteStream, parseBody, readBody, TOO_LARGE, type ByteStream } from './body';
import {
	CREDENTIAL_HEADERS,
	DEFAULT_DEADLINE_MS,
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_MAX_RESPONSE_BYTES,
} from './limits';
import type {
	DispatchOptions,
	DispatchOutcome,
	DispatchRequest,
	DispatchTransport,
	HttpMethod,
	SendRequest,
} from './types';

/** The URL cannot be sent at all: it does not parse, or it is not http: or https:. */
export class InvalidUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InvalidUrlError';
	}
}

interface FullResponse {
	statusCode: number;
	statusMessage?: string;
	headers: Record<string, unknown>;
	body: unknown;
}

interface Hop {
	method: HttpMethod;
	url: URL;
	headers: Record<string, string>;
	body: Buffer | undefined;
	withCredentials: boolean;
}

interface Run {
	hop: Hop;
	redirects: number;
	readonly startedAt: number;
	readonly signal: AbortSignal;
	readonly deadline: AbortSignal;
	readonly settings: Required<Omit<DispatchOptions, 'cancelSignal'>>;
	readonly transport: DispatchTransport;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function isHttp(url: URL): boolean {
	return url.protocol === 'http:' || url.protocol === 'https:';
}

export function parseHttpUrl(url: string): URL {
	if (!URL.canParse(url)) throw new InvalidUrlError(`"${url}" is not a valid URL`);
	const parsed = new URL(url);
	if (!isHttp(parsed)) {
		throw new InvalidUrlError(
			`Only http:// and https:// URLs can be called, not ${parsed.protocol}`,
		);
	}
	return parsed;
}

/**
 * n8n's `httpRequestWithAuthentication` overwrites `abortSignal` with the execution's cancel
 * signal. Pinning the property keeps our deadline in force and honours theirs as well.
 */
function pinAbortSignal(options: IHttpRequestOptions, signal: AbortSignal): IHttpRequestOptions {
	let assigned: AbortSignal | undefined;
	return Object.defineProperty(options, 'abortSignal', {
		enumerable: true,
		configurable: true,
		get: () => (assigned ? AbortSignal.any([signal, assigned]) : signal),
		set: (value: unknown) => {
			assigned = value instanceof AbortSignal ? value : undefined;
		},
	});
}

function destroyBody(response: unknown): void {
	const body = (response as FullResponse | undefined)?.body;
	if (isByteStream(body)) body.destroy();
}

/** Settles with the response, or rejects as soon as `signal` aborts, whatever `send` does. */
async function sendUntilAborted(
	send: SendRequest,
	options: IHttpRequestOptions,
	signal: AbortSignal,
): Promise<FullResponse> {
	const sent = send(options);
	return await new Promise<FullResponse>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		sent.then(
			(response) => {
				signal.removeEventListener('abort', onAbort);
				// A response that arrives after the deadline is not read; close its socket.
				if (signal.aborted) destroyBody(response);
				resolve(response as FullResponse);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

async function sendHop(run: Run): Promise<FullResponse> {
	const { hop, transport, settings } = run;
	const send = hop.withCredentials
		? transport.send
		: (transport.sendWithoutCredentials ?? transport.send);
	const options: IHttpRequestOptions = {
		method: hop.method,
		url: hop.url.href,
		headers: { ...hop.headers },
		body: hop.body,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: settings.deadlineMs,
	};
	return await sendUntilAborted(send, pinAbortSignal(options, run.signal), run.signal);
}

function headerValue(headers: Record<string, unknown>, name: string): string {
	const value = headers[name];
	if (Array.isArray(value)) return value.join(', ');
	return typeof value === 'string' ? value : '';
}

function plainHeaders(headers: Record<string, unknown>): IDataObject {
	const plain: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (typeof value === 'string' || Array.isArray(value)) plain[name.toLowerCase()] = value;
	}
	return plain;
}

/** Moves `run` on to the redirect target, as browsers and curl do. */
function nextHop(run: Run, status: number, location: string): Hop {
	const { hop } = run;
	const target = URL.canParse(location, hop.url.href) ? new URL(location, hop.url) : undefined;
	if (target === undefined || !isHttp(target)) {
		throw Object.assign(new Error(`Refused to follow a redirect to "${location}"`), {
			code: 'ERR_UNSUPPORTED_REDIRECT',
		});
	}

	const becomesGet =
		status === 303 || ((status === 301 || status === 302) && hop.method === 'POST');
	const leavesOrigin = target.origin !== hop.url.origin;
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(hop.headers)) {
		const lower = name.toLowerCase();
		if (leavesOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
		if (becomesGet && (lower === 'content-type' || lower === 'content-length')) continue;
		headers[name] = value;
	}
	return {
		method: becomesGet ? 'GET' : hop.method,
		url: target,
		headers,
		body: becomesGet ? undefined : hop.body,
		withCredentials: hop.withCredentials && !leavesOrigin,
	};
}

async function follow(run: Run): Promise<DispatchOutcome> {
	for (;;) {
		const response = await sendHop(run);
		const location = headerValue(response.headers, 'location');
		const redirect = REDIRECT_STATUSES.has(response.statusCode) && location !== '';
		if (!redirect || run.settings.maxRedirects === 0) return await readResponse(run, response);

		destroyBody(response);
		if (run.redirects >= run.settings.maxRedirects) {
			throw Object.assign(
				new Error(`Stopped after ${run.redirects} redirects; the last one pointed to ${location}`),
				{ code: 'ERR_TOO_MANY_REDIRECTS' },
			);
		}
		run.hop = nextHop(run, response.statusCode, location);
		run.redirects++;
	}
}

async function readResponse(run: Run, response: FullResponse): Promise<DispatchOutcome> {
	const { settings } = run;
	const host = run.hop.url.host;
	const status = response.statusCode;
	const declaredLength = Number(headerValue(response.headers, 'content-length'));
	const bytes =
		declaredLength > settings.maxResponseBytes
			? (destroyBody(response), TOO_LARGE)
			: await readBodyOf(response.body, settings.maxResponseBytes, run.signal);

	if (bytes === TOO_LARGE) {
		return {
			kind: 'tooLarge',
			host,
			status,
			maxResponseBytes: settings.maxResponseBytes,
			durationMs: elapsed(run),
			message: `The response from ${host} is larger than the ${settings.maxResponseBytes}-byte limit; reading stopped there`,
		};
	}

	const contentType = headerValue(response.headers, 'content-type');
	return {
		kind: 'response',
		host,
		status,
		statusText: response.statusMessage ?? '',
		headers: plainHeaders(response.headers),
		...parseBody(bytes, contentType, settings.responseFormat),
		url: run.hop.url.href,
		redirects: run.redirects,
		durationMs: elapsed(run),
	};
}

async function readBodyOf(body: unknown, maxBytes: number, signal: AbortSignal) {
	if (isByteStream(body)) return await readBody(body as ByteStream, maxBytes, signal);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
}

function elapsed(run: Run): number {
	return Math.round(performance.now() - run.startedAt);
}

function errorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string') return code;
		current = cause;
	}
	return undefined;
}

function failureOutcome(run: Run, error: unknown, cancelSignal?: AbortSignal): DispatchOutcome {
	const host = run.hop.url.host;
	const durationMs = elapsed(run);
	if (run.deadline.aborted) {
		const deadlineMs = run.settings.deadlineMs;
		return {
			kind: 'timeout',
			host,
			deadlineMs,
			durationMs,
			retried: false,
			message: `${host} did not answer completely within ${deadlineMs} ms; the request was aborted and not retried`,
		};
	}
	if (cancelSignal?.aborted) {
		return {
			kind: 'cancelled',
			host,
			durationMs,
			message: `The request to ${host} was stopped because the workflow execution was cancelled`,
		};
	}
	const code = errorCode(error);
	const reason = error instanceof Error ? error.message : String(error);
	return { kind: 'networkError', host, code, durationMs, message: `${host}: ${reason}` };
}

/**
 * Sends one request, without retry, inside a hard deadline that covers connecting, waiting for
 * headers, every redirect and reading the whole body. Whatever happens comes back as a typed
 * outcome; a non-2xx status is a `response`, not an error.
 *
 * @throws InvalidUrlError when the URL does not parse or is not http(s); nothing is sent then.
 */
export async function dispatch(
	request: DispatchRequest,
	transport: DispatchTransport,
	options: DispatchOptions = {},
): Promise<DispatchOutcome> {
	const url = parseHttpUrl(request.url);
	const settings = {
		deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
		maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
		maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
		responseFormat: options.responseFormat ?? 'auto',
	};
	const deadline = AbortSignal.timeout(settings.deadlineMs);
	const { cancelSignal } = options;
	const run: Run = {
		hop: {
			method: request.method,
			url,
			headers: request.headers ?? {},
			body: request.body ? Buffer.from(request.body, 'utf8') : undefined,
			withCredentials: true,
		},
		redirects: 0,
		startedAt: performance.now(),
		signal: cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline,
		deadline,
		settings,
		transport,
	};

	try {
		return await follow(run);
	} catch (error) {
		return failureOutcome(run, error, cancelSignal);
	}
}
