import { memoize } from './cache';
import { TemplateValueError } from './errors';
import {
	assertNoneMissing,
	placeholdersOf,
	placeholderText,
	splitPlaceholders,
	type RenderOptions,
	type TemplatePart,
	type TemplateVariables,
} from './placeholders';

const compileUrl = memoize((template: string) => {
	const parts = splitPlaceholders(template.trim());
	return { parts, placeholders: placeholdersOf(parts) };
});

function isWholeHttpUrl(text: string): boolean {
	if (!/^https?:\/\/[^\s/?#]/i.test(text) || /[\s\u0000-\u001f\u007f]/.test(text)) return false;
	try {
		return new URL(text).host !== '';
	} catch {
		return false; // new URL throws exactly when the text is no URL, which is what we ask
	}
}

function assertWholeUrl(path: string, text: string): void {
	if (!isWholeHttpUrl(text)) {
		throw new TemplateValueError(
			`{{${path}}} starts the URL, so it must hold a whole http:// or https:// address`,
		);
	}
}

/**
 * A path segment that is exactly `.` or `..` (encoded or not) would move the request to another
 * path once the URL is parsed, so such a value in the path is refused rather than sent elsewhere.
 */
function assertNotDotSegment(path: string, encoded: string): void {
	if (encoded === '.' || encoded === '..') {
		throw new TemplateValueError(
			`{{${path}}} is "${encoded}", which would change the URL's path; use it in the query instead`,
		);
	}
}

function renderPart(
	part: TemplatePart,
	index: number,
	inPath: boolean,
	variables: TemplateVariables,
	missing: NonNullable<RenderOptions['missing']>,
): string {
	if (typeof part === 'string') return part;
	const text = placeholderText(part, variables, missing);

	// Only a placeholder at the very start may carry a whole URL, such as {{webhook_url}}.
	// Anywhere else a value is data, so `/`, `?`, `&` and `#` in it must not change the URL.
	if (index === 0) {
		assertWholeUrl(part.path, text);
		return text;
	}
	const encoded = encodeURIComponent(text.toWellFormed());
	if (inPath) assertNotDotSegment(part.path, encoded);
	return encoded;
}

/**
 * Renders a URL template. Every value is percent-encoded as a URL component, except a placeholder
 * that starts the template, which must hold a whole http(s) URL and is inserted as it is.
 * Unpaired UTF-16 surrogates in values become U+FFFD, the only way to encode them.
 */
export function renderUrl(
	template: string,
	variables: TemplateVariables,
	options: RenderOptions = {},
): string {
	const { parts, placeholders } = compileUrl(template);
	const missing = options.missing ?? 'empty';
	assertNoneMissing(placeholders, variables, missing);

	let url = '';
	let inPath = true;
	for (let index = 0; index < parts.length; index++) {
		const part = parts[index];
		url += renderPart(part, index, inPath, variables, missing);
		if (typeof part === 'string' && /[?#]/.test(part)) inPath = false;
	}
	return url;
}
