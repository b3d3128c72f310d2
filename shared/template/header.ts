import { memoize } from './cache';
import { TemplateValueError } from './errors';
import {
	assertNoneMissing,
	placeholdersOf,
	placeholderText,
	splitPlaceholders,
	type RenderOptions,
	type TemplateVariables,
} from './placeholders';

// What a header value can carry on the wire: tab, space and visible ASCII.
const NOT_HEADER_SAFE = /[^\t\x20-\x7e]+/g;

const compileHeader = memoize((template: string) => {
	const trimmed = template.trim();
	const parts = splitPlaceholders(trimmed);
	for (const part of parts) {
		if (typeof part === 'string' && /[^\t\x20-\x7e]/.test(part)) {
			throw new TemplateValueError(
				'The header value contains a line break, a control character or a non-ASCII ' +
					'character; type it on one line in plain ASCII, or put the text in a variable',
			);
		}
	}
	return { parts, placeholders: placeholdersOf(parts) };
});

/**
 * Makes a variable's text safe for a header value. Printable ASCII, space and tab pass unchanged;
 * every other character (CR, LF and other controls, and anything outside ASCII) is
 * percent-encoded as UTF-8, so `José` becomes `Jos%C3%A9` and nothing is dropped or can start
 * a new header line. Unpaired surrogates become U+FFFD first.
 */
export function encodeHeaderText(text: string): string {
	return text.toWellFormed().replace(NOT_HEADER_SAFE, encodeURIComponent);
}

/**
 * Renders a header value template. The literal text must itself be plain printable ASCII (it is
 * trimmed); each value is passed through encodeHeaderText.
 */
export function renderHeaderValue(
	template: string,
	variables: TemplateVariables,
	options: RenderOptions = {},
): string {
	const { parts, placeholders } = compileHeader(template);
	const missing = options.missing ?? 'empty';
	assertNoneMissing(placeholders, variables, missing);

	let value = '';
	for (const part of parts) {
		value +=
			typeof part === 'string' ? part : encodeHeaderText(placeholderText(part, variables, missing));
	}
	return value;
}

// A header name is an HTTP token (RFC 9110, section 5.6.2).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `name` can be sent as a header name. */
export function isHeaderName(name: string): boolean {
	return HEADER_NAME.test(name);
}
