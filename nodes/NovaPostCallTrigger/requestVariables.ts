import { mediaType, refuse, type NovaRequest, type Refusal } from './http';

export type Variables = Record<string, unknown>;

export interface ReceivedVariables {
	kind: 'variables';
	variables: Variables;
	/** Where the variables came from: json, form or query, or a body format and query. */
	source: string;
}

type BodyFormat = 'json' | 'form' | 'multipart';
type BodyRead = { kind: 'read'; format: BodyFormat; value: unknown } | Refusal;
type BodyVariables = { kind: 'body'; variables: Variables } | Refusal;

/**
 * Call variables nest a few levels at most. n8n and this node copy and redact an item
 * recursively, which runs out of stack some thousands of levels down (a 1 MB body can nest
 * 500,000), so a deeper body is refused with a clear answer instead of failing with a 500.
 */
export const MAX_NESTING_DEPTH = 128;

const BODY_TEMPLATE_HINT =
	"Check the body in Nova's API Request action: it must be a JSON object, and every placeholder must stand inside quotes";

export function isRecord(value: unknown): value is Variables {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bodyBytes(request: NovaRequest): number {
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody.length;
	const declared = Number(request.headers['content-length']);
	if (Number.isSafeInteger(declared)) return declared;
	return Buffer.byteLength(JSON.stringify(request.body) ?? '');
}

function rawText(request: NovaRequest): string {
	if (typeof request.body === 'string') return request.body;
	if (!Buffer.isBuffer(request.rawBody)) return '';
	const encoding = request.encoding ?? 'utf8';
	return request.rawBody.toString(Buffer.isEncoding(encoding) ? encoding : 'utf8');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether the raw body claims UTF-8 (n8n's default charset) but holds bytes that are not. Node
 * would decode them to U+FFFD, changing the caller's words without telling anyone.
 */
function isBrokenUtf8(request: NovaRequest): boolean {
	if (!Buffer.isBuffer(request.rawBody)) return false;
	const encoding = (request.encoding ?? 'utf-8').toLowerCase();
	if (encoding !== 'utf-8' && encoding !== 'utf8') return false;
	try {
		STRICT_UTF8.decode(request.rawBody);
		return false;
	} catch {
		return true; // a fatal decoder throws exactly when the bytes are not UTF-8
	}
}

const read = (format: BodyFormat, value: unknown): BodyRead => ({ kind: 'read', format, value });

/** JSON text that n8n left unparsed: a JSON media type it does not know, text, or no type. */
function parseJsonText(text: string): BodyRead {
	if (text.trim() === '') return read('json', undefined);
	try {
		return read('json', JSON.parse(text) as unknown);
	} catch {
		// The parser's own message would echo the body back; the hint is what helps.
		return refuse(400, 'invalid_json', `The body is not valid JSON. ${BODY_TEMPLATE_HINT}.`);
	}
}

function multipartFields(body: unknown): BodyRead {
	const files = isRecord(body) && isRecord(body.files) ? Object.keys(body.files) : [];
	if (files.length > 0) {
		return refuse(415, 'files_not_accepted', 'Send the call variables without files');
	}
	return read('multipart', isRecord(body) ? body.data : undefined);
}

/** Whether a body of this media type is read as JSON text: Nova's body is JSON whatever it says. */
function isJsonText(type: string | undefined): boolean {
	return (
		type === undefined ||
		type === 'text/plain' ||
		type === 'application/json' ||
		type.endsWith('+json')
	);
}

function readBody(request: NovaRequest): BodyRead {
	const type = mediaType(request);
	// n8n parses application/json before the node runs, and refuses it with 422 when invalid.
	if (type === 'application/json' && request.body !== undefined) return read('json', request.body);
	if (isJsonText(type)) return parseJsonText(rawText(request));
	if (type === 'application/x-www-form-urlencoded') return read('form', request.body);
	if (type === 'multipart/form-data') return multipartFields(request.body);
	return refuse(
		415,
		'unsupported_content_type',
		'Send the call variables as JSON (Content-Type: application/json), as a form or in the query string',
	);
}

function bodyVariables(value: unknown): BodyVariables {
	if (value === undefined) return { kind: 'body', variables: {} };
	if (isRecord(value)) return { kind: 'body', variables: value };
	return refuse(
		400,
		'body_not_object',
		`The body must be a JSON object of call variables, not ${kindOf(value)}. ${BODY_TEMPLATE_HINT}.`,
	);
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

/** Whether `value` holds objects or lists nested deeper than `maxDepth`, found without recursion. */
function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
	const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
		if (typeof next.value !== 'object' || next.value === null) continue;
		if (next.depth > maxDepth) return true;
		for (const child of Object.values(next.value)) {
			pending.push({ value: child, depth: next.depth + 1 });
		}
	}
	return false;
}

function sourceOf(format: BodyFormat, hasBody: boolean, hasQuery: boolean): string {
	const parts = [
		hasBody ? (format === 'multipart' ? 'form' : format) : '',
		hasQuery ? 'query' : '',
	];
	return parts.filter(Boolean).join('+');
}

/**
 * The call variables of a request: the query string's, overlaid by the body's, so one request
 * may carry them in either place or both. Refuses, without reading further, a body over
 * `maxBodyBytes`, bytes that are not the UTF-8 they claim to be, a content type that cannot
 * carry variables, text that is not JSON, a body that is not an object or nests deeper than
 * MAX_NESTING_DEPTH, and a request without any variable.
 */
export function readVariables(
	request: NovaRequest,
	maxBodyBytes: number,
): ReceivedVariables | Refusal {
	const size = bodyBytes(request);
	if (size > maxBodyBytes) {
		const [sizeKb, maxKb] = [size, maxBodyBytes].map((bytes) => Math.ceil(bytes / 1024));
		return refuse(
			413,
			'body_too_large',
			`The body has ${sizeKb} KB; at most ${maxKb} KB are accepted`,
		);
	}

	if (isBrokenUtf8(request)) {
		return refuse(
			400,
			'invalid_utf8',
			'The body is not valid UTF-8. Send it as UTF-8, or name its charset in the Content-Type header',
		);
	}

	const read = readBody(request);
	if (read.kind === 'refusal') return read;
	const body = bodyVariables(read.value);
	if (body.kind === 'refusal') return body;
	if (nestsDeeperThan(body.variables, MAX_NESTING_DEPTH)) {
		return refuse(
			400,
			'body_too_deep',
			`The body nests objects and lists more than ${MAX_NESTING_DEPTH} levels deep. Send the call variables as a flatter JSON object`,
		);
	}
	const query = isRecord(request.query) ? request.query : {};

	const [bodyEntries, queryEntries] = [Object.entries(body.variables), Object.entries(query)];
	if (bodyEntries.length + queryEntries.length === 0) {
		return refuse(
			400,
			'no_variables',
			'The request carries no call variables. Send them as a JSON body, a form or in the query string',
		);
	}
	// Object.fromEntries defines keys such as "__proto__" as plain data, never as a prototype.
	const variables = Object.fromEntries([...queryEntries, ...bodyEntries]);
	const source = sourceOf(read.format, bodyEntries.length > 0, queryEntries.length > 0);
	return { kind: 'variables', variables, source };
}
