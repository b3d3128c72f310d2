import type { ResponseFormat } from './types';

/** The parts of a Node.js readable stream that reading a body needs. */
export interface ByteStream {
	on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	destroy(error?: Error): unknown;
}

export function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ByteStream).on === 'function' &&
		typeof (value as ByteStream).destroy === 'function'
	);
}

/** Reading stopped because the body passed the size cap. */
export const TOO_LARGE = Symbol('tooLarge');

/**
 * Reads a whole body, but never more than `maxBytes`, and never past `signal`: both destroy the
 * stream, which closes the socket, so a server that trickles or stalls is cut off at once.
 */
export async function readBody(
	stream: ByteStream,
	maxBytes: number,
	signal: AbortSignal,
): Promise<Buffer | typeof TOO_LARGE> {
	return await new Promise((resolve, reject) => {
		const chunks: Uint8Array[] = [];
		let size = 0;
		let settled = false;

		const settle = (finish: () => void) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			finish();
		};
		const onAbort = () => {
			stream.destroy();
			settle(() => reject(signal.reason));
		};

		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk) => {
			size += chunk.length;
			if (size <= maxBytes) {
				chunks.push(chunk);
				return;
			}
			stream.destroy();
			settle(() => resolve(TOO_LARGE));
		});
		stream.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
		stream.on('error', (error) => settle(() => reject(error)));
		stream.on('close', () =>
			settle(() =>
				reject(Object.assign(new Error('The connection closed mid-body'), { code: 'ECONNRESET' })),
			),
		);
	});
}

function isJsonContentType(contentType: string): boolean {
	return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim());
}

/** Turns body bytes into JSON or text, as `format` asks. */
export function parseBody(
	bytes: Buffer,
	contentType: string,
	format: ResponseFormat,
): { body: unknown; parseError?: string } {
	const text = bytes.toString('utf8');
	if (format === 'text' || text.length === 0) return { body: text };
	if (format === 'auto' && !isJsonContentType(contentType)) return { body: text };

	try {
		return { body: JSON.parse(text) as unknown };
	} catch (error) {
		// Auto mode trusted a Content-Type that lied; the text is still worth returning.
		if (format === 'auto') return { body: text };
		return { body: text, parseError: (error as Error).message };
	}
}
