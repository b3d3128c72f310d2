import {
	MissingVariablesError,
	TemplateValueError,
	encodeHeaderText,
	renderHeaderValue,
} from '../../shared/template';
import { HOSTILE_VALUES, callData, withoutVariables } from '../fixtures/callData';

// Tab, space and visible ASCII: all that a header value may carry on the wire.
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, index) =>
	String.fromCharCode(0x20 + index),
).join('');

describe('encodeHeaderText', () => {
	it.each([
		['an accent', 'José', 'Jos%C3%A9'],
		['CRLF', 'a\r\nb', 'a%0D%0Ab'],
		['a lone LF', '\n', '%0A'],
		['NUL', '\u0000', '%00'],
		['the unit separator', '\u001f', '%1F'],
		['DEL', '\u007f', '%7F'],
		['a C1 control', '\u0085', '%C2%85'],
		['a non-breaking space', '\u00a0', '%C2%A0'],
		['an emoji pair', '🚀', '%F0%9F%9A%80'],
		['a lone high surrogate', 'a\ud800b', 'a%EF%BF%BDb'],
		['a lone low surrogate', '\udfff', '%EF%BF%BD'],
		['a line separator', '\u2028', '%E2%80%A8'],
		['mixed runs', 'Zoë 🙂\r\nok', 'Zo%C3%AB %F0%9F%99%82%0D%0Aok'],
	])('percent-encodes %s as UTF-8', (_label, text, encoded) => {
		expect(encodeHeaderText(text)).toBe(encoded);
	});

	it.each([
		['every printable ASCII character', PRINTABLE_ASCII],
		['a tab', 'a\tb'],
		['spaces', '  a  b  '],
		['an empty string', ''],
	])('passes %s unchanged', (_label, text) => {
		expect(encodeHeaderText(text)).toBe(text);
	});

	it('passes a percent sign unchanged, so an encoded-looking value reads as its decoding', () => {
		expect(encodeHeaderText('%C3%A9')).toBe('%C3%A9');
		expect(encodeHeaderText('é')).toBe('%C3%A9');
	});
});

describe('renderHeaderValue', () => {
	it.each(HOSTILE_VALUES)('renders $label as one safe header line', ({ value }) => {
		const rendered = renderHeaderValue('Note {{summary}}', callData({ summary: value }));
		expect(rendered).toMatch(HEADER_SAFE);
	});

	// A '%' in a value passes as it is, so only '%'-free values decode back exactly.
	// properties.test.ts pins down the exact form of the others.
	it.each(HOSTILE_VALUES.filter(({ value }) => !value.includes('%')))(
		'renders $label so that it decodes back to the value',
		({ value }) => {
			const rendered = renderHeaderValue('Note {{summary}}', callData({ summary: value }));
			expect(decodeURIComponent(rendered)).toBe(`Note ${value.toWellFormed()}`);
		},
	);

	it('keeps a header-injection attempt on one line', () => {
		const rendered = renderHeaderValue('Bearer {{token}}', {
			token: 'abc\r\nX-Admin: true\r\n\r\nGET / HTTP/1.1',
		});
		expect(rendered).toBe('Bearer abc%0D%0AX-Admin: true%0D%0A%0D%0AGET / HTTP/1.1');
	});

	it('trims the template but not the values', () => {
		expect(renderHeaderValue('  \t Bearer {{token}} \t ', { token: ' abc ' })).toBe('Bearer  abc ');
	});

	it.each([
		['a number', 42, '42'],
		['a boolean', true, 'true'],
		['an object, as JSON', { id: 7, name: 'Zoë' }, '{"id":7,"name":"Zo%C3%AB"}'],
	])('inserts %s as text', (_label, value: unknown, expected) => {
		expect(renderHeaderValue('{{value}}', { value })).toBe(expected);
	});

	it.each([
		['CR', 'a\rb {{x}}'],
		['LF', 'a\nb {{x}}'],
		['CRLF in the middle', 'Bearer {{x}}\r\nX-Injected: 1'],
		['NUL', 'a\u0000 {{x}}'],
		['the unit separator', '{{x}}\u001f'],
		['DEL', 'a\u007f{{x}}'],
		['a non-ASCII letter', 'Grüße {{x}}'],
		['a check mark', 'Bearer \u2713 {{x}}'],
	])('rejects literal text with %s', (_label, template) => {
		expect(() => renderHeaderValue(template, { x: 'ok' })).toThrow(TemplateValueError);
		expect(() => renderHeaderValue(template, { x: 'ok' })).toThrow(
			'The header value contains a line break, a control character or a non-ASCII character',
		);
	});

	it('accepts a tab in literal text and line breaks only at the trimmed ends', () => {
		expect(renderHeaderValue('\r\na\tb {{x}}\r\n', { x: 'X' })).toBe('a\tb X');
	});

	it('never renders a placeholder that a value contains', () => {
		const variables = { token: '{{secret}}', secret: 'LEAK' };
		expect(renderHeaderValue('Bearer {{token}}', variables)).toBe('Bearer {{secret}}');
	});

	describe('missing variables', () => {
		const variables = withoutVariables(callData(), 'email');

		it('renders an empty value by default', () => {
			expect(renderHeaderValue('mailto:{{ email }}', variables)).toBe('mailto:');
		});

		it('keeps the placeholder as written under "keep"', () => {
			const rendered = renderHeaderValue('mailto:{{ email }}', variables, { missing: 'keep' });
			expect(rendered).toBe('mailto:{{ email }}');
		});

		it('throws a MissingVariablesError under "error"', () => {
			const render = () =>
				renderHeaderValue('{{ email }} {{zip}}', variables, { missing: 'error' });
			expect(render).toThrow(MissingVariablesError);
			expect(render).toThrow(expect.objectContaining({ variables: ['email', 'zip'] }));
		});
	});
});
