import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const REDACTED = '[redacted]';

/** Header names whose values are secrets, whoever typed them. */
const SECRET_HEADER =
	/^(?:authorization|proxy-authorization|cookie|set-cookie)$|token|secret|key|passw|auth/i;

// Shorter strings would blank out ordinary words that happen to match.
const MIN_SECRET_LENGTH = 4;

const CREDENTIAL_SECRET_FIELDS = ['token', 'headerSecret', 'password', 'querySecret'];

/** Removes known secrets from everything the node outputs: items, errors and request records. */
export class Redactor {
	private readonly secrets: string[];

	constructor(secrets: Iterable<string>) {
		const usable = [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
		// Longest first, so that a secret containing another is removed whole.
		this.secrets = [...new Set(usable)].sort((a, b) => b.length - a.length);
	}

	static forCredentials(credentials: ICredentialDataDecryptedObject | undefined): Redactor {
		if (!credentials) return new Redactor([]);
		const values = CREDENTIAL_SECRET_FIELDS.map((field) => credentials[field]).filter(
			(value): value is string => typeof value === 'string',
		);
		if (credentials.scheme === 'basic') {
			const pair = `${String(credentials.user)}:${String(credentials.password)}`;
			values.push(Buffer.from(pair, 'utf8').toString('base64'));
		}
		return new Redactor(values);
	}

	static isSecretHeader(name: string): boolean {
		return SECRET_HEADER.test(name);
	}

	/** A redactor that also knows the values of secret-looking headers the user typed. */
	withHeaders(headers: Record<string, string>): Redactor {
		// `Bearer abc` is a secret as a whole, and so is `abc` on its own.
		const typed = Object.entries(headers)
			.filter(([name]) => Redactor.isSecretHeader(name))
			.flatMap(([, value]) => [value, ...(/^\S+\s+(\S+)$/.exec(value)?.slice(1) ?? [])]);
		return typed.length === 0 ? this : new Redactor([...this.secrets, ...typed]);
	}

	text(text: string): string {
		let clean = text;
		for (const secret of this.secrets) clean = clean.split(secret).join(REDACTED);
		return clean;
	}

	/** Headers with the values of secret-looking names replaced, and known secrets removed. */
	headers<T>(headers: Record<string, T>): Record<string, T | string> {
		const clean: Record<string, T | string> = {};
		for (const [name, value] of Object.entries(headers)) {
			clean[name] = Redactor.isSecretHeader(name) ? REDACTED : this.deep(value);
		}
		return clean;
	}

	/** Copies a JSON value with every secret removed from its strings and keys. */
	deep<T>(value: T): T {
		if (this.secrets.length === 0) return value;
		if (typeof value === 'string') return this.text(value) as T;
		if (Array.isArray(value)) return value.map((entry: unknown) => this.deep(entry)) as T;
		if (value === null || typeof value !== 'object') return value;
		const clean: IDataObject = {};
		for (const [key, entry] of Object.entries(value)) clean[this.text(key)] = this.deep(entry);
		return clean as T;
	}
}
