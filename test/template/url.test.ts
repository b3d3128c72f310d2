import {
	MissingVariablesError,
	TemplateValueError,
	renderUrl,
	type RenderOptions,
} from '../../shared/template';
import { HOSTILE_VALUES, callData, withoutVariables } from '../fixtures/callData';

const CONTACTS = 'https://api.example.com/v1/contacts';

describe('renderUrl', () => {
	describe('values after the start', () => {
		it.each(HOSTILE_VALUES)('encodes $label as one query parameter', ({ value }) => {
			const rendered = renderUrl(`${CONTACTS}?q={{summary}}&page=2`, callData({ summary: value }));
			const url = new URL(rendered);

			expect(rendered).toBe(`${CONTACTS}?q=${encodeURIComponent(value.toWellFormed())}&page=2`);
			expect([...url.searchParams.keys()]).toEqual(['q', 'page']);
			expect(url.searchParams.get('q')).toBe(value.toWellFormed());
			expect(url.pathname).toBe('/v1/contacts');
			expect(url.hash).toBe('');
		});

		const DOT_SEGMENTS = new Set(['.', '..']);
		const PATH_SAFE_VALUES = HOSTILE_VALUES.filter(({ value }) => !DOT_SEGMENTS.has(value));

		it.each(PATH_SAFE_VALUES)('keeps $label inside its path segment', ({ value }) => {
			const url = new URL(renderUrl(`${CONTACTS}/{{id}}/notes`, { id: value }));
			const segments = url.pathname.split('/');

			expect(segments).toHaveLength(5);
			expect(segments.slice(0, 3)).toEqual(['', 'v1', 'contacts']);
			expect(decodeURIComponent(segments[3])).toBe(value.toWellFormed());
			expect(segments[4]).toBe('notes');
		});

		it.each(['.', '..'])('refuses %j in the path, where it would move the request', (id) => {
			expect(() => renderUrl(`${CONTACTS}/{{id}}/notes`, { id })).toThrow(TemplateValueError);
			expect(() => renderUrl(`${CONTACTS}/{{id}}/notes`, { id })).toThrow(
				`{{id}} is "${id}", which would change the URL's path; use it in the query instead`,
			);
		});

		it.each(['.', '..'])('passes %j through in the query and the fragment', (id) => {
			expect(renderUrl(`${CONTACTS}?id={{id}}#{{id}}`, { id })).toBe(`${CONTACTS}?id=${id}#${id}`);
		});

		it.each([
			['a lone high surrogate', 'a\ud800b', 'a%EF%BF%BDb'],
			['a lone low surrogate', '\udfff', '%EF%BF%BD'],
			['an emoji pair', '🙂', '%F0%9F%99%82'],
			['an accent', 'José', 'Jos%C3%A9'],
			['URL delimiters', '&?#/=+ %', '%26%3F%23%2F%3D%2B%20%25'],
			['a number', 42, '42'],
			['an object', { id: 7 }, '%7B%22id%22%3A7%7D'],
		])('encodes %s as a URL component', (_label, value: unknown, encoded) => {
			expect(renderUrl('https://x.test/?v={{value}}', { value })).toBe(
				`https://x.test/?v=${encoded}`,
			);
		});

		it('encodes a placeholder that follows literal text in the host', () => {
			const rendered = renderUrl('https://{{tenant}}.example.com/', { tenant: 'a/b' });
			expect(rendered).toBe('https://a%2Fb.example.com/');
		});

		it('leaves literal template text as written', () => {
			const template = 'https://x.test/a b/%7E?x=1&y={{y}}#frag';
			expect(renderUrl(template, { y: 'Y' })).toBe('https://x.test/a b/%7E?x=1&y=Y#frag');
		});

		it('never renders a placeholder that a value contains', () => {
			const variables = { q: '{{secret}}', secret: 'LEAK' };
			expect(renderUrl('https://x.test/?q={{q}}', variables)).toBe(
				'https://x.test/?q=%7B%7Bsecret%7D%7D',
			);
		});
	});

	describe('a placeholder at the start', () => {
		it.each([
			['an https URL', 'https://hooks.example.com/abc?x=1'],
			['an http URL', 'http://127.0.0.1:8080'],
			['an upper-case scheme', 'HTTPS://EXAMPLE.COM'],
			['a URL with user info', 'https://user:pass@example.com/'],
		])('inserts %s as it is', (_label, webhookUrl) => {
			expect(renderUrl('{{webhook_url}}', { webhook_url: webhookUrl })).toBe(webhookUrl);
		});

		it('inserts the start raw and encodes the values after it', () => {
			const variables = { base: 'https://x.test/api', id: 'a/b' };
			expect(renderUrl('  {{base}}/items/{{id}}  ', variables)).toBe(
				'https://x.test/api/items/a%2Fb',
			);
		});

		it('treats a placeholder after leading spaces as the start', () => {
			expect(() => renderUrl('   {{base}}', { base: 'x' })).toThrow(TemplateValueError);
		});

		it.each([
			['an empty value', ''],
			['a bare host', 'example.com'],
			['a scheme-relative URL', '//evil.example.com/'],
			['another scheme', 'ftp://example.com/'],
			['a javascript URL', 'javascript:alert(1)'],
			['a scheme without a host', 'https://'],
			['a path before the host', 'https:///path'],
			['a space in the host', 'https://exa mple.com'],
			['a line break', 'https://example.com/\r\nX-Injected: 1'],
			['a NUL', 'https://example.com/\u0000'],
			['a leading space', ' https://example.com/'],
		])('rejects %s', (_label, webhookUrl) => {
			expect(() => renderUrl('{{webhook_url}}/x', { webhook_url: webhookUrl })).toThrow(
				TemplateValueError,
			);
		});

		it.each([
			['a forbidden host character', 'https://exa<mple.com/'],
			['an unclosed IPv6 host', 'https://[::1/'],
			['user info without a host', 'https://@/'],
		])('rejects %s, which is no URL either', (_label, webhookUrl) => {
			expect(() => new URL(webhookUrl)).toThrow('Invalid URL');
			expect(() => renderUrl('{{webhook_url}}', { webhook_url: webhookUrl })).toThrow(
				TemplateValueError,
			);
		});

		it('names the placeholder in the error', () => {
			expect(() => renderUrl('{{ base }}/x', { base: 'nope' })).toThrow(
				'{{base}} starts the URL, so it must hold a whole http:// or https:// address',
			);
		});

		it.each([
			['empty', {}],
			['keep', { missing: 'keep' }],
		] as const)('rejects a missing start under "%s"', (_policy, options: RenderOptions) => {
			expect(() => renderUrl('{{base}}/x', {}, options)).toThrow(TemplateValueError);
		});

		it('reports a missing start under "error" as a missing variable', () => {
			const render = () => renderUrl('{{base}}/{{id}}', {}, { missing: 'error' });
			expect(render).toThrow(MissingVariablesError);
			expect(render).toThrow(expect.objectContaining({ variables: ['base', 'id'] }));
		});
	});

	describe('missing variables', () => {
		const template = 'https://x.test/?email={{ email }}';
		const variables = withoutVariables(callData(), 'email');

		it('renders an empty parameter by default', () => {
			expect(renderUrl(template, variables)).toBe('https://x.test/?email=');
		});

		it('keeps the placeholder, encoded, under "keep"', () => {
			const rendered = renderUrl(template, variables, { missing: 'keep' });
			expect(rendered).toBe('https://x.test/?email=%7B%7B%20email%20%7D%7D');
			expect(new URL(rendered).searchParams.get('email')).toBe('{{ email }}');
		});
	});
});
