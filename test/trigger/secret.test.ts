import fc from 'fast-check';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	credentialProblem,
	matchingSecret,
	presentedSecret,
	readSecretSettings,
} from '../../nodes/NovaPostCallTrigger/secret';

const SECRET = 'a-long-enough-secret-1234';
const base = { headerName: 'Authorization', format: 'bearer', secret: SECRET };

describe('presentedSecret and matchingSecret', () => {
	const bearer = readSecretSettings({ ...base, previousSecret: 'the-previous-one-98765' });

	it.each([
		[`Bearer ${SECRET}`, 'secret'],
		['Bearer the-previous-one-98765', 'previousSecret'],
		[`BEARER\t${SECRET}`, 'secret'],
		[SECRET, undefined],
		[`Token ${SECRET}`, undefined],
		[`Bearer ${SECRET} `, 'secret'],
		[`Bearer ${SECRET} extra`, undefined],
		['Bearer', undefined],
		['', undefined],
	])('finds in Authorization: %p the %p', (header, expected) => {
		const presented = presentedSecret({ authorization: header }, bearer);

		expect(matchingSecret(presented, bearer)).toBe(expected);
	});

	it('ignores a header that came as a list', () => {
		expect(presentedSecret({ authorization: [`Bearer ${SECRET}`] }, bearer)).toBeUndefined();
	});

	it('matches nothing when nothing is presented, even against an empty previous secret', () => {
		const settings = readSecretSettings({ ...base, previousSecret: '' });

		expect(settings.secrets).toHaveLength(1);
		expect(matchingSecret(undefined, settings)).toBeUndefined();
		expect(matchingSecret('', settings)).toBeUndefined();
	});

	it('matches a presented string exactly when it equals a configured secret', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (secret, presented) => {
				const settings = readSecretSettings({ ...base, secret });
				const expected = presented === settings.secrets[0].value ? 'secret' : undefined;
				expect(matchingSecret(presented, settings)).toBe(expected);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('credentialProblem', () => {
	it.each<[string, ICredentialDataDecryptedObject, string | undefined]>([
		['a complete credential', base, undefined],
		['a rotation in progress', { ...base, previousSecret: 'another-long-secret-5678' }, undefined],
		['a custom header', { ...base, headerName: 'X-Nova-Secret', format: 'plain' }, undefined],
		['no secret', { ...base, secret: '  ' }, 'Enter a Secret'],
		[
			'a header name with a space',
			{ ...base, headerName: 'X Nova' },
			'The Header Name may hold only letters, digits and - (such as Authorization)',
		],
		[
			'a short secret',
			{ ...base, secret: 'short' },
			'Use a Secret of at least 16 characters so that it cannot be guessed',
		],
		[
			'a secret with a space',
			{ ...base, secret: 'two words that are long' },
			'Use only letters, digits and punctuation in a secret, without spaces',
		],
		[
			'a previous secret with a non-ASCII letter',
			{ ...base, previousSecret: 'geheimnis-für-nova-123' },
			'Use only letters, digits and punctuation in a secret, without spaces',
		],
		[
			'the same secret twice',
			{ ...base, previousSecret: SECRET },
			'The Previous Secret is the Secret itself: clear it',
		],
	])('reports for %s: %p', (_case, data, expected) => {
		expect(credentialProblem(data)).toBe(expected);
	});
});
