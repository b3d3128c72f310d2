import {
	NodeConnectionTypes,
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { offlineCredentialTest } from '../../shared/credentialTest';
import { admit } from './admission';
import { passesCalleeFilter } from './calleeFilter';
import { buildCallItem } from './callItem';
import { CREDENTIAL_TYPE, properties, webhookDescription } from './description';
import { sendJson, sendRefusal, type NovaRequest, type NovaResponse } from './http';
import {
	credentialProblem,
	readSecretSettings,
	secretSettingsProblem,
	type SecretSettings,
} from './secret';
import { readTriggerSettings } from './settings';

/** The whole answer to an accepted call; Nova reads only the status. */
const ACCEPTED = { received: true, accepted: true };
const NOT_FOR_THIS_WORKFLOW = {
	received: true,
	accepted: false,
	reason: 'This workflow handles calls to other numbers',
};

type SecretContext = Pick<IWebhookFunctions | IHookFunctions, 'getCredentials' | 'getNode'>;

async function readSecrets(ctx: SecretContext): Promise<SecretSettings> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const problem = secretSettingsProblem(data);
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `The Nova Webhook Secret credential: ${problem}`, {
			description: 'Open the credential of this node and complete it',
		});
	}
	return readSecretSettings(data);
}

export class NovaPostCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nova Post-Call Trigger',
		name: 'novaPostCallTrigger',
		icon: { light: 'file:novavoca.svg', dark: 'file:novavoca.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["calleeNumbers"] ? "Calls to " + $parameter["calleeNumbers"] : "All calls"}}',
		description: 'Starts the workflow when Nova finishes a call and sends its API Request',
		eventTriggerDescription: 'Waiting for Nova to send a call',
		activationMessage: "Nova's calls to the production URL now start this workflow.",
		defaults: { name: 'Nova Post-Call Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Written out rather than CREDENTIAL_TYPE: n8n's package checks read the name from the source.
		credentials: [
			{ name: 'novaWebhookSecretApi', required: true, testedBy: 'novaWebhookSecretTest' },
		],
		webhooks: [webhookDescription],
		triggerPanel: {
			header: 'Waiting for a call from Nova',
			executionsHelp: {
				inactive:
					"While you listen for a test event, send a call to the Test URL: from Nova, or with the curl command in this package's README. The call appears here as one item. To run the workflow on every call, publish it and give Nova the Production URL.",
				active:
					'Every call Nova sends to the Production URL starts an execution; find them under Executions. Calls refused for a wrong secret or filtered out by Only Calls To start none.',
			},
			activationHint:
				"Once you publish the workflow, Nova's calls to the Production URL start it in the background.",
		},
		properties,
	};

	methods = {
		credentialTest: {
			novaWebhookSecretTest: offlineCredentialTest(
				credentialProblem,
				'The secret is ready. Send it from Nova in the header named here.',
			),
		},
	};

	// Nova's API Request action is set up by hand in Nova's dashboard and Nova has no API to
	// register a webhook, so there is nothing to create, find or delete. `create` still checks
	// the node's settings and credential, so that a mistake stops the activation (and "Listen
	// for test event") with a message, instead of failing each call later.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				readTriggerSettings(this);
				await readSecrets(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = readTriggerSettings(this);
		const secrets = await readSecrets(this);
		const request: NovaRequest = this.getRequestObject();
		const response: NovaResponse = this.getResponseObject();
		const receivedAt = new Date();

		// A request that starts nothing is answered here and at once: Nova gives up after 10 s
		// and never retries. noWebhookResponse tells n8n the answer is sent.
		const admitted = admit(request, settings, secrets);
		if (admitted.kind === 'refusal') {
			this.logger.debug('Nova Post-Call Trigger refused a request', {
				status: admitted.status,
				error: admitted.error,
			});
			sendRefusal(response, admitted);
			return { noWebhookResponse: true };
		}

		const { calleeFilter, normalization } = settings;
		const callee = admitted.variables.callee_number;
		if (!passesCalleeFilter(callee, calleeFilter, normalization.defaultCountry)) {
			sendJson(response, 200, NOT_FOR_THIS_WORKFLOW);
			return { noWebhookResponse: true };
		}

		const method = request.method ?? 'POST';
		const call = { ...admitted, method, receivedAt, headers: request.headers };
		const json = buildCallItem(call, settings, secrets);
		// n8n sends this answer once it has saved the execution (and, in queue mode, queued it),
		// before the workflow runs: a 200 means n8n holds the call, and if it cannot store the
		// call Nova gets n8n's 500 instead of a 200 for a call that is lost.
		return { webhookResponse: ACCEPTED, workflowData: [[{ json }]] };
	}
}
