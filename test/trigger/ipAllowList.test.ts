import {
	isAddressAllowed,
	parseAddress,
	parseAllowList,
} from '../../nodes/NovaPostCallTrigger/ipAllowList';

function allowed(list: string, address: string | undefined): boolean {
	const { ranges, invalid } = parseAllowList(list);
	expect(invalid).toEqual([]);
	return isAddressAllowed(address, ranges);
}

describe('parseAllowList and isAddressAllowed', () => {
	it.each([
		['203.0.113.7', '203.0.113.7', true],
		['203.0.113.7', '203.0.113.8', false],
		['198.51.100.0/24', '198.51.100.255', true],
		['198.51.100.0/24', '198.51.101.0', false],
		['198.51.100.77/24', '198.51.100.1', true],
		['0.0.0.0/0', '8.8.8.8', true],
		['10.0.0.0/8 192.168.0.0/16;172.16.0.0/12', '172.31.255.255', true],
		['203.0.113.7', '::ffff:203.0.113.7', true],
		['::ffff:203.0.113.0/120', '203.0.113.9', true],
		['2001:db8::/32', '2001:db8:ffff::1', true],
		['2001:db8::/32', '2001:db9::1', false],
		['2001:DB8::1', '2001:db8:0:0:0:0:0:1', true],
		['2001:db8::1', 'fe80::1%eth0', false],
		['fe80::/10', 'fe80::1%eth0', true],
		['::1', '::1', true],
		['::1', '127.0.0.1', false],
		['127.0.0.1', '::1', false],
		['::/0', '2001:db8::1', true],
		['::/0', '203.0.113.7', false],
		['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8', true],
		['::ffff:1.2.3.4', '1.2.3.4', true],
		['203.0.113.7', undefined, false],
		['203.0.113.7', 'not an address', false],
	])('with %p lets %p through: %p', (list, address, expected) => {
		expect(allowed(list, address)).toBe(expected);
	});

	it.each([
		'256.1.1.1',
		'1.2.3',
		'1.2.3.4/33',
		'1.2.3.4/',
		'1.2.3.4/8/8',
		'1.2.3.4/-1',
		'2001:db8::/129',
		'1::2::3',
		'1:2:3:4:5:6:7:8:9',
		'1:2:3:4:5:6:7',
		'12345::1',
		'::ffff:1.2.3.4/95',
		'example.org',
	])('refuses to read %p, so that a typo never decides who may call', (entry) => {
		expect(parseAllowList(`127.0.0.1, ${entry}`)).toEqual({
			ranges: [expect.objectContaining({ entry: '127.0.0.1' })],
			invalid: [entry],
		});
	});

	it('reads an empty list as no entries', () => {
		expect(parseAllowList(' , \n')).toEqual({ ranges: [], invalid: [] });
	});

	it('reads addresses in every IPv6 spelling as the same address', () => {
		const spellings = ['2001:db8::1', '2001:0db8:0000::0001', '2001:db8:0:0:0:0:0:1'];

		const values = spellings.map((spelling) => parseAddress(spelling)?.value);

		expect(new Set(values).size).toBe(1);
	});
});
