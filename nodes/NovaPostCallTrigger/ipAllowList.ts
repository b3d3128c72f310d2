interface Address {
	family: 4 | 6;
	value: bigint;
}

export interface AllowedRange {
	/** The entry as the user wrote it, for messages. */
	entry: string;
	network: Address;
	prefixBits: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;
const IPV4_MAPPED_PREFIX = BigInt('0xffff00000000');

function parseIPv4(text: string): bigint | undefined {
	const octets = IPV4.exec(text)?.slice(1).map(Number);
	if (!octets || octets.some((octet) => octet > 255)) return undefined;
	return octets.reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
}

/** Expands "::" and a trailing dotted IPv4 part into eight 16-bit groups. */
function ipv6Groups(text: string): string[] | undefined {
	let expanded = text;
	const lastColon = text.lastIndexOf(':');
	const lastPart = text.slice(lastColon + 1);
	if (lastPart.includes('.')) {
		const ipv4 = parseIPv4(lastPart);
		if (ipv4 === undefined) return undefined;
		const [high, low] = [ipv4 >> 16n, ipv4 & 0xffffn].map((half) => half.toString(16));
		expanded = `${text.slice(0, lastColon + 1)}${high}:${low}`;
	}

	const halves = expanded.split('::');
	if (halves.length > 2) return undefined;
	const [head, tail] = halves.map((half) => (half === '' ? [] : half.split(':')));
	if (tail === undefined) return head.length === 8 ? head : undefined;
	const missing = 8 - head.length - tail.length;
	return missing >= 1 ? [...head, ...Array<string>(missing).fill('0'), ...tail] : undefined;
}

function parseIPv6(text: string): bigint | undefined {
	const groups = ipv6Groups(text.replace(/%.*$/, ''));
	if (!groups?.every((group) => IPV6_GROUP.test(group))) return undefined;
	return groups.reduce((sum, group) => (sum << 16n) + BigInt(`0x${group}`), 0n);
}

/**
 * Parses an address, reading an IPv4 address mapped into IPv6 (::ffff:a.b.c.d) as IPv4, which
 * is how a dual-stack server reports an IPv4 client. `mappedBits` says how many leading bits
 * the mapping took, so that a range written in mapped form shrinks by as many.
 */
export function parseAddress(text: string): (Address & { mappedBits: number }) | undefined {
	const ipv4 = parseIPv4(text);
	if (ipv4 !== undefined) return { family: 4, value: ipv4, mappedBits: 0 };
	const ipv6 = parseIPv6(text);
	if (ipv6 === undefined) return undefined;
	if (ipv6 >> 32n === IPV4_MAPPED_PREFIX >> 32n) {
		return { family: 4, value: ipv6 & 0xffffffffn, mappedBits: 96 };
	}
	return { family: 6, value: ipv6, mappedBits: 0 };
}

function parseRange(entry: string): AllowedRange | undefined {
	const [addressText, prefixText, ...rest] = entry.split('/');
	const address = parseAddress(addressText);
	if (!address || rest.length || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
		return undefined;
	}
	const { mappedBits, ...network } = address;
	const totalBits = BITS[network.family] + mappedBits;
	const prefixBits = prefixText === undefined ? totalBits : Number(prefixText);
	if (prefixBits < mappedBits || prefixBits > totalBits) return undefined;
	return { entry, network, prefixBits: prefixBits - mappedBits };
}

/**
 * Reads a list of addresses and CIDR ranges separated by commas, spaces or new lines,
 * such as "203.0.113.7, 198.51.100.0/24, 2001:db8::/32". Returns the entries it cannot read
 * instead when there are any, so that a typo never silently lets everyone in or no one.
 */
export function parseAllowList(text: string): { ranges: AllowedRange[]; invalid: string[] } {
	const entries = text.split(/[\s,;]+/).filter((entry) => entry !== '');
	const ranges: AllowedRange[] = [];
	const invalid: string[] = [];
	for (const entry of entries) {
		const range = parseRange(entry);
		if (range) ranges.push(range);
		else invalid.push(entry);
	}
	return { ranges, invalid };
}

function inRange(address: Address, { network, prefixBits }: AllowedRange): boolean {
	if (address.family !== network.family) return false;
	const shift = BigInt(BITS[address.family] - prefixBits);
	return address.value >> shift === network.value >> shift;
}

/** Whether the address is inside one of the ranges. An address that cannot be read is not. */
export function isAddressAllowed(addressText: string | undefined, ranges: AllowedRange[]): boolean {
	const address = addressText === undefined ? undefined : parseAddress(addressText);
	return address !== undefined && ranges.some((range) => inRange(address, range));
}
