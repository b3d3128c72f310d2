/**
 * The parts of n8n's request object this trigger reads. n8n hands the node an Express request
 * on which its raw-body reader has set `contentType` (the media type in lower case, without
 * parameters), `encoding` and `rawBody`, and its body parser has set `body` (see README).
 */
export interface NovaRequest {
	method?: string;
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	query?: unknown;
	rawBody?: unknown;
	contentType?: string;
	encoding?: string;
	/** Express's client address, which honours n8n's N8N_PROXY_HOPS. */
	ip?: string;
	socket?: { remoteAddress?: string };
}

/** Node's ServerResponse API, which Express's response keeps. */
export interface NovaResponse {
	writeHead(statusCode: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

/** A request the trigger answers itself without starting the workflow. */
export interface Refusal {
	kind: 'refusal';
	status: number;
	error: string;
	message: string;
	headers?: Record<string, string>;
}

export function refuse(
	status: number,
	error: string,
	message: string,
	headers?: Record<string, string>,
): Refusal {
	return { kind: 'refusal', status, error, message, headers };
}

export function sendJson(
	response: NovaResponse,
	status: number,
	body: Record<string, unknown>,
	headers: Record<string, string> = {},
): void {
	response.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
		...headers,
	});
	response.end(JSON.stringify(body));
}

export function sendRefusal(response: NovaResponse, { status, error, message, headers }: Refusal) {
	sendJson(response, status, { error, message }, headers);
}

/** The media type in lower case, without parameters, as n8n's raw-body reader records it. */
export function mediaType(request: NovaRequest): string | undefined {
	const header = request.headers['content-type'];
	const type = request.contentType ?? (typeof header === 'string' ? header : undefined);
	return type?.split(';')[0].trim().toLowerCase() || undefined;
}

export function clientAddress(request: NovaRequest): string | undefined {
	return request.ip ?? request.socket?.remoteAddress;
}
