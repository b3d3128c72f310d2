import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import { NovaWebhookSecretApi } from '../../credentials/NovaWebhookSecretApi.credentials';
import { BODY_TEMPLATE } from '../../nodes/NovaPostCallTrigger/description';
import { NovaPostCallTrigger } from '../../nodes/NovaPostCallTrigger/NovaPostCallTrigger.node';
import { PHONE_COUNTRIES } from '../../nodes/NovaPostCallTrigger/phoneCountries';
import samplePayload from '../../nodes/NovaPostCallTrigger/samplePayload.json';
import { STANDARD_CALL_VARIABLE_NAMES } from '../../shared/callVariables';
import { hookContext } from '../support/webhookHarness';

const trigger = new NovaPostCallTrigger();
const { description } = trigger;

function property(name: string): INodeProperties {
	const found = description.properties.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`No property ${name}`);
	return found;
}

function activation(parameters: INodeParameters, credential: ICredentialDataDecryptedObject) {
	const credentials = { novaWebhookSecretApi: credential };
	return hookContext({ nodeType: trigger, parameters, credentials });
}

const goodCredential = { headerName: 'Authorization', format: 'bearer', secret: 's'.repeat(20) };

describe('NovaPostCallTrigger description', () => {
	it('offers a body template that is valid JSON holding every standard variable', () => {
		const template = JSON.parse(BODY_TEMPLATE) as Record<string, string>;

		expect(Object.keys(template)).toEqual(STANDARD_CALL_VARIABLE_NAMES);
		for (const name of STANDARD_CALL_VARIABLE_NAMES) expect(template[name]).toBe(`{{${name}}}`);
	});

	it('shows the template and the header to add in its setup notice', () => {
		const notice = property('setupNotice');

		expect(notice.type).toBe('notice');
		expect(notice.displayName).toContain(`<li>Body: ${BODY_TEMPLATE}</li>`);
		expect(notice.displayName).toContain('Authorization: Bearer');
		expect(notice.displayName).toContain('Content-Type: application/json');
	});

	it('listens to POST by default and offers the other four methods of Nova', () => {
		const methods = property('httpMethods');

		expect(methods.default).toEqual(['POST']);
		expect(methods.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'DELETE',
			'GET',
			'PATCH',
			'POST',
			'PUT',
		]);
	});

	it('offers None and then every country of the phone rules as Default Country', () => {
		const options = property('options').options as INodeProperties[];
		const country = options.find((option) => option.name === 'defaultCountry');
		const values = country?.options?.map((option) => ('value' in option ? option.value : ''));

		expect(values?.[0]).toBe('none');
		expect(values?.slice(1).sort()).toEqual(PHONE_COUNTRIES.map((entry) => entry.code).sort());
	});

	it('is a trigger with one output that requires the webhook secret credential', () => {
		expect(description).toMatchObject({
			name: 'novaPostCallTrigger',
			displayName: 'Nova Post-Call Trigger',
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: new NovaWebhookSecretApi().name, required: true }],
		});
		expect(description.outputs).toHaveLength(1);
	});

	it('ships a sample payload with every standard variable and a few custom ones', () => {
		expect(Object.keys(samplePayload).slice(0, 8)).toEqual(STANDARD_CALL_VARIABLE_NAMES);
		expect(Object.keys(samplePayload).length).toBeGreaterThan(8);
	});
});

describe('NovaPostCallTrigger webhook lifecycle', () => {
	const lifecycle = trigger.webhookMethods.default;

	it('has nothing to register in Nova, so it never finds one and deletes nothing', async () => {
		const context = activation({}, goodCredential);

		await expect(lifecycle.checkExists.call(context)).resolves.toBe(false);
		await expect(lifecycle.create.call(context)).resolves.toBe(true);
		await expect(lifecycle.delete.call(context)).resolves.toBe(true);
	});

	it.each([
		[{ options: { allowedIps: 'localhost' } }, goodCredential, '"IP Allowlist"'],
		[{ options: { maxBodySizeKb: 0 } }, goodCredential, '"Max Body Size (KB)"'],
		[{ options: { defaultCountry: 'XX' } }, goodCredential, '"Default Country"'],
		[{}, { ...goodCredential, secret: '' }, 'Enter a Secret'],
	])('refuses to activate with %p and the credential %p', async (parameters, credential, text) => {
		const created = lifecycle.create.call(activation(parameters, credential));

		await expect(created).rejects.toThrow(NodeOperationError);
		await expect(created).rejects.toThrow(text);
	});
});

describe('NovaWebhookSecretApi and its test', () => {
	const credential = new NovaWebhookSecretApi();
	const test = trigger.methods.credentialTest.novaWebhookSecretTest;
	const context = {} as ICredentialTestFunctions;

	it('hides both secrets as passwords', () => {
		const secrets = credential.properties.filter((field) => /secret/i.test(field.name));

		expect(secrets.map((field) => field.name)).toEqual(['secret', 'previousSecret']);
		for (const field of secrets) expect(field.typeOptions?.password).toBe(true);
	});

	it('defaults to Authorization: Bearer, as in Nova’s documentation', () => {
		const defaults = Object.fromEntries(
			credential.properties.map((field) => [field.name, field.default]),
		);

		expect(defaults).toMatchObject({ headerName: 'Authorization', format: 'bearer' });
	});

	it.each([
		[goodCredential, 'OK'],
		[{ ...goodCredential, secret: 'short' }, 'Error'],
	])('reports %p as %s', async (data, status) => {
		const result = await test.call(context, { id: '1', name: 'Nova', type: credential.name, data });

		expect(result.status).toBe(status);
		expect(JSON.stringify(result)).not.toContain(String(data.secret));
	});
});
