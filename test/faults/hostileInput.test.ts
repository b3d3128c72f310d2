import { callData, HOSTILE_VALUES } from '../fixtures/callData';
import { runApiRequest } from '../support/apiRequest';
import { startRawServer, type RawHttpServer } from '../support/rawServers';

// Call data a caller controls, each trying to add a header line or a second request.
const INJECTIONS = [
	'x\r\nX-Injected: yes',
	'x\nX-Injected: yes',
	'x\rX-Injected: yes',
	'x\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: evil',
	'x\u0000\u000b\u000c\u007f',
	'x\u2028X-Injected: yes\u2029',
	'x\u010d\u010aX-Injected: yes', // code points whose low bytes are CR and LF
];

let server: RawHttpServer;
beforeAll(async () => {
	server = await startRawServer(({ socket }) => {
		socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
	});
});
afterAll(async () => await server.close());
beforeEach(() => server.connections.splice(0));

/** The head of every request the server saw, as the bytes arrived. */
function headsOnTheWire(): string[] {
	return server.connections.flatMap(({ received }) =>
		received
			.toString('latin1')
			.split('\r\n\r\n')
			.filter((part) => /^[A-Z]+ \//.test(part)),
	);
}

describe('Nova API Request under hostile call data', () => {
	it.each(INJECTIONS.map((value) => [JSON.stringify(value), value]))(
		'keeps %s in its own header, URL parameter and JSON string',
		async (_label, reason) => {
			await runApiRequest({
				parameters: {
					method: 'POST',
					url: server.url('/calls?reason={{reason}}'),
					headers: { header: [{ name: 'X-Call-Reason', value: 'Reason: {{reason}}' }] },
					body: '{"reason": "{{reason}}"}',
				},
				items: [callData({ reason })],
			});

			const heads = headsOnTheWire();
			expect(heads).toHaveLength(1);
			const lines = heads[0].split('\r\n');
			expect(lines[0]).toBe(`POST /calls?reason=${encodeURIComponent(reason)} HTTP/1.1`);
			const reasonLines = lines.filter((line) => line.toLowerCase().startsWith('x-call-reason:'));
			expect(reasonLines).toHaveLength(1);
			// Outside visible ASCII, header values are percent-encoded as UTF-8 (see README).
			const encoded = reasonLines[0].slice('x-call-reason: Reason: '.length);
			expect(decodeURIComponent(encoded)).toBe(reason);
			expect(lines.filter((line) => /^(x-injected|host: evil)/i.test(line))).toEqual([]);
			expect(heads[0]).toMatch(/^[\t\x20-\x7e\r\n]*$/);
			const body = server.connections[0].received.toString('utf8').split('\r\n\r\n')[1];
			expect(JSON.parse(body)).toEqual({ reason });
		},
	);

	it('sends every hostile fixture value without a byte outside visible ASCII in the head', async () => {
		const items = HOSTILE_VALUES.filter(({ value }) => typeof value === 'string').map(({ value }) =>
			callData({ name: value as string }),
		);

		const { sent } = await runApiRequest({
			parameters: {
				method: 'GET',
				url: server.url('/calls?name={{name}}'),
				headers: { header: [{ name: 'X-Caller', value: '{{name}}' }] },
				options: { concurrency: 1 },
			},
			items,
		});

		expect(sent).toHaveLength(items.length);
		const heads = headsOnTheWire();
		expect(heads).toHaveLength(items.length);
		for (const head of heads) expect(head).toMatch(/^[\t\x20-\x7e\r\n]*$/);
	});

	it('renders prototype keys from the call as nothing, and pollutes no object', async () => {
		const call = JSON.parse(
			'{"name": "Ana", "__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
		) as Record<string, unknown>;

		await runApiRequest({
			parameters: {
				method: 'POST',
				url: server.url('/calls'),
				body: '{"a": "{{__proto__.polluted}}", "b": "{{constructor.prototype.polluted}}", "c": "{{name}}"}',
			},
			items: [call],
		});

		const body = server.connections[0].received.toString('utf8').split('\r\n\r\n')[1];
		expect(JSON.parse(body)).toEqual({ a: '', b: '', c: 'Ana' });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
